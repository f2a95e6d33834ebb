using Offload.Nic.Nvme.QueuePair;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Nvme;

public sealed partial class NvmeTcpTarget
{
    private OccupancySignal? _occupancySignal;

    /// <summary>Every queue pair's SQ and CQ, present and accepted later, raise <paramref name="signal"/> on a level change.</summary>
    public void AttachSignal(OccupancySignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        lock (_lock)
        {
            _occupancySignal = signal;
            foreach (var qp in _queuePairs)
            {
                AttachSignal(qp);
            }
        }
    }

    // Under _lock.
    private void AttachSignal(TcpQueuePair qp)
    {
        if (_occupancySignal is { } signal)
        {
            qp.SubmissionQueue.Signal = signal;
            qp.CompletionQueue.Signal = signal;
        }
    }
}
