namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Wakes the telemetry reporter when a queue's instantaneous level (by <see cref="Thresholds"/>) changes, so a
/// crossing is reported at once instead of at the next poll. Any number of queue owners raise it; one thread waits.
/// Raising costs one interlocked exchange, plus a wake-up only when the waiter has not been woken since its last wait.
/// Holds no OS resource (a monitor on a private object), so a queue can raise it at any time, also after the reporter
/// has stopped.
/// </summary>
public sealed class OccupancySignal
{
    private readonly object _gate = new();
    private int _pending;
    private long _raised;

    public OccupancySignal(OccupancyThresholds thresholds)
    {
        Thresholds = thresholds ?? throw new ArgumentNullException(nameof(thresholds));
    }

    /// <summary>The levels the queues classify their instantaneous depth by (the reporter's own thresholds).</summary>
    public OccupancyThresholds Thresholds { get; }

    /// <summary>Level changes signalled so far.</summary>
    public long Raised => Interlocked.Read(ref _raised);

    /// <summary>A queue's level changed: wake the waiter.</summary>
    public void Raise()
    {
        Interlocked.Increment(ref _raised);
        Wake();
    }

    /// <summary>Wakes the waiter without counting a level change (e.g. to let it see that it should stop).</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            lock (_gate)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Blocks until <see cref="Raise"/>/<see cref="Wake"/> or <paramref name="timeout"/>; true when woken.
    /// The caller samples after this returns, so a raise that lands between the wake-up and the reset is seen by that
    /// sample: never a lost wake-up.</summary>
    public bool Wait(TimeSpan timeout)
    {
        bool woken;
        lock (_gate)
        {
            woken = Volatile.Read(ref _pending) != 0 || Monitor.Wait(_gate, timeout);
        }

        Volatile.Write(ref _pending, 0);
        return woken;
    }
}
