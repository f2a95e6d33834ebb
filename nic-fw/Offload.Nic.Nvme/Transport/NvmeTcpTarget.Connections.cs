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
        var collector = new ConnectionCollector(destination);
        VisitConnections(ref collector);
    }

    /// <summary>Every live I/O connection's snapshot, built on the stack and handed to the visitor under the
    /// queue-pair lock (an accept or a disconnect waits for the pass: about a millisecond at 10,000
    /// connections).</summary>
    public void VisitConnections<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IConnectionVisitor
    {
        long now = Time.GetTimestamp();
        lock (_lock)
        {
            foreach (var qp in _queuePairs)
            {
                if (qp.QueueId == 0 || qp.Controller is not { } c)
                {
                    continue;
                }

                var snapshot = new ConnectionCountersSnapshot(c.App, c.Id, qp.QueueId, qp.Connection,
                    QueueOccupancySnapshot.Of(c.App, c.Id, qp.QueueId, false, qp.SubmissionQueue, now, DefaultThresholds),
                    QueueOccupancySnapshot.Of(c.App, c.Id, qp.QueueId, true, qp.CompletionQueue, now, DefaultThresholds));
                visitor.Visit(in snapshot);
            }
        }
    }
}
