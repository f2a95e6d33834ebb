using System.Runtime.InteropServices;
using Offload.Contracts.Threading;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// The system clock, with timers that fire within tens of microseconds of their due time instead of the system
/// timer's millisecond steps (<see cref="PreciseTimer"/>: a dedicated thread sleeping with clock_nanosleep on Linux).
/// A capped core's arbiter wakes through it when the next capacity token ripens: at 5,000 IOPS a token ripens every
/// 200 µs, and a 1 ms timer step grants commands in batches of five or more, so a tenant with one command outstanding
/// gets at most one command per batch, whatever its share.
/// </summary>
public sealed partial class PreciseTimeProvider : TimeProvider
{
    private PreciseTimeProvider()
    {
    }

    public static PreciseTimeProvider Instance { get; } = new();

    /// <summary>The shortest wait worth arming (the kernel's default timer slack is 50 µs).</summary>
    public static TimeSpan Resolution { get; } = TimeSpan.FromMicroseconds(20);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new PreciseTimer(callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Sleeps the calling thread for <paramref name="duration"/> (clock_nanosleep on CLOCK_MONOTONIC on Linux,
    /// else at least 1 ms).</summary>
    internal static unsafe void Sleep(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            Thread.Sleep(Math.Max(1, (int)Math.Ceiling(duration.TotalMilliseconds)));
            return;
        }

        var request = TimeSpec.FromNanoseconds((long)duration.TotalNanoseconds);

        // Relative sleep; an interrupted one (EINTR) just returns early: the caller re-reads the clock.
        _ = ClockNanosleep(MonotonicClock, 0, &request, IntPtr.Zero);
    }

    private const int MonotonicClock = 1;

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static unsafe partial int ClockNanosleep(int clock, int flags, TimeSpec* request, IntPtr remaining);
}
