using System.Diagnostics;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// A timer on its own thread (<see cref="PreciseTimeProvider"/>): it parks on an event while disarmed, waits on the
/// event until the last 2 ms before the due time (so a re-arm or <see cref="Dispose"/> is seen at once), then sleeps
/// the rest with clock_nanosleep and runs the callback on its thread. The thread starts at the first arm. The callback
/// must be short (a core arbiter's grant pass); an exception from it ends the process, as with
/// <see cref="System.Threading.Timer"/>. The event is never disposed: it holds no kernel handle unless waited on
/// through one, and a late <see cref="Change"/> may still set it.
/// </summary>
internal sealed class PreciseTimer : ITimer
{
    private const long Disarmed = long.MaxValue;
    private static readonly long s_eventWaitSlack = Stopwatch.Frequency / 500;
    private static readonly long s_millisecond = Stopwatch.Frequency / 1000;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly ManualResetEventSlim _signal = new(initialState: false, spinCount: 1);
    private readonly Lock _start = new();
    private Thread? _thread;
    private long _due = Disarmed;
    private long _periodTicks;
    private long _fired;
    private volatile bool _disposed;

    public PreciseTimer(TimerCallback callback, object? state)
    {
        _callback = callback;
        _state = state;
    }

    /// <summary>Callbacks run so far.</summary>
    public long Fired => Interlocked.Read(ref _fired);

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (_disposed)
        {
            return false;
        }

        if (dueTime != Timeout.InfiniteTimeSpan && dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "The due time is a wait of zero or more, or Timeout.InfiniteTimeSpan.");
        }

        if (period != Timeout.InfiniteTimeSpan && period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "The period is more than zero, or Timeout.InfiniteTimeSpan (one-shot).");
        }

        Volatile.Write(ref _periodTicks, period == Timeout.InfiniteTimeSpan ? 0 : ToTicks(period));
        Volatile.Write(ref _due, dueTime == Timeout.InfiniteTimeSpan ? Disarmed : Stopwatch.GetTimestamp() + ToTicks(dueTime));
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            EnsureThread();
        }

        _signal.Set();
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        Volatile.Write(ref _due, Disarmed);
        _signal.Set();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private void EnsureThread()
    {
        if (_thread is not null)
        {
            return;
        }

        lock (_start)
        {
            if (_thread is null)
            {
                _thread = new Thread(static s => ((PreciseTimer)s!).Run()) { IsBackground = true, Name = "offload-precise-timer" };
                _thread.Start(this);
            }
        }
    }

    private void Run()
    {
        while (!_disposed)
        {
            // Reset before reading the due time: an arm between the two is seen by the read, an arm after it sets the
            // event again.
            _signal.Reset();
            long due = Volatile.Read(ref _due);
            if (due == Disarmed)
            {
                _signal.Wait();
                continue;
            }

            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining > s_eventWaitSlack)
            {
                _signal.Wait(TimeSpan.FromSeconds((double)(remaining - s_eventWaitSlack + s_millisecond) / Stopwatch.Frequency));
                continue;
            }

            if (remaining > 0)
            {
                PreciseTimeProvider.Sleep(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
                continue;
            }

            long period = Volatile.Read(ref _periodTicks);
            if (Interlocked.CompareExchange(ref _due, period > 0 ? due + period : Disarmed, due) != due)
            {
                // Re-armed (or disposed) while due: read the new due time.
                continue;
            }

            Interlocked.Increment(ref _fired);
            _callback(_state);
        }
    }
}
