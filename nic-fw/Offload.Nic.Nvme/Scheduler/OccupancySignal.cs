namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Wakes the telemetry reporter when a queue's instantaneous level (by <see cref="Thresholds"/>) changes, so a
/// crossing is reported at once instead of at the next poll. Any number of queue owners raise it; one thread waits.
/// Raising costs one interlocked exchange, plus a wake-up only when the waiter has not been woken since its last wait.
/// </summary>
public sealed class OccupancySignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0);
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
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Blocks until <see cref="Raise"/> or <paramref name="timeout"/>; true when raised. The caller samples
    /// after this returns, so a raise that lands between the wake-up and the reset is seen by that sample (at worst
    /// it leaves one extra release: one spurious pass later, never a lost wake-up).</summary>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken)
    {
        bool raised = _wake.Wait(timeout, cancellationToken);
        Volatile.Write(ref _pending, 0);
        return raised;
    }

    public void Dispose() => _wake.Dispose();
}
