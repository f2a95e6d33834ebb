using System.Runtime.InteropServices;
using Offload.Contracts.Threading;

namespace Offload.Nic.Telemetry;

/// <summary>
/// The calling thread's CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID), Linux): user and kernel time in
/// nanoseconds, exact rather than sampled at the scheduler tick. The telemetry thread reads it once per period to
/// report its own cost (<see cref="Offload.Contracts.Messages.NodeTotals.TelemetryCpuNanosPerSecond"/>).
/// </summary>
internal static partial class ThreadCpuClock
{
    /// <summary>CLOCK_THREAD_CPUTIME_ID.</summary>
    private const int ThreadCpuTimeId = 3;

    /// <summary>The calling thread's CPU time in nanoseconds; -1 where the clock is unavailable (not Linux).</summary>
    public static unsafe long Nanoseconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        TimeSpec now;
        return ClockGetTime(ThreadCpuTimeId, &now) == 0 ? now.TotalNanoseconds : -1;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static unsafe partial int ClockGetTime(int clock, TimeSpec* time);
}
