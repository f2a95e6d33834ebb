namespace Offload.Nic.Nvme.Scheduler;

public sealed partial class QueueOccupancy
{
    private OccupancySignal? _signal;
    private OccupancyLevel _signalledLevel;

    /// <summary>Raised whenever the instantaneous depth moves this queue to another level; null = nobody listens.</summary>
    public OccupancySignal? Signal
    {
        get => Volatile.Read(ref _signal);
        set => Volatile.Write(ref _signal, value);
    }

    // Per depth change on the owning thread: a classification and a compare; the signal only on an actual level change.
    private void SignalLevel(int depth)
    {
        if (Volatile.Read(ref _signal) is not { } signal)
        {
            return;
        }

        var level = signal.Thresholds.Classify(depth, QueueSize);
        if (level != _signalledLevel)
        {
            _signalledLevel = level;
            _cell.MarkChanged();
            signal.Raise();
        }
    }
}
