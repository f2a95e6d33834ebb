using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.QueuePair;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Nvme;

/// <summary>Per-connection (per-flow) counters for flow metadata.</summary>
public sealed partial class NvmeTcpTarget : IConnectionCounterSource
{
    /// <summary>Allocation-free once the destination has grown: the reporter calls it every period.</summary>
    public void CollectConnectionCounters(ICollection<ConnectionCountersSnapshot> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        lock (_lock)
        {
            foreach (var qp in _queuePairs)
            {
                if (qp.QueueId == 0 || qp.Controller is not { } c)
                {
                    continue;
                }

                destination.Add(new ConnectionCountersSnapshot(c.App, c.Id, qp.QueueId, qp.Connection,
                    Snapshot(c, qp.QueueId, qp.SubmissionQueue, isCompletionQueue: false),
                    Snapshot(c, qp.QueueId, qp.CompletionQueue, isCompletionQueue: true)));
            }
        }
    }

    private static QueueOccupancySnapshot Snapshot(NvmeController c, ushort queueId, QueueOccupancy q, bool isCompletionQueue)
    {
        var avg = q.AverageDepth;
        return new QueueOccupancySnapshot(c.App, c.Id, queueId, isCompletionQueue, q.QueueSize, q.Depth, avg,
            DefaultThresholds.Classify(avg, q.QueueSize));
    }
}
