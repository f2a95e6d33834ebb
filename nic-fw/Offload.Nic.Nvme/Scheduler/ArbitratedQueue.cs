using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>One SQ registered with a <see cref="CoreArbiter"/>: its waiting count (commands parsed, not yet
/// granted) is what <see cref="DequeueScheduler"/> sees as depth. Guarded by the arbiter's lock.</summary>
internal sealed class ArbitratedQueue(CoreArbiter arbiter, IDequeueGrantee owner) : ISubmissionQueueSource
{
    public AppId App => owner.App;

    public int Depth => Waiting;

    /// <summary>The core arbiter applies no bytes bucket (per-application buckets act before a command is queued).</summary>
    public int HeadSize => 0;

    internal int Waiting { get; set; }

    internal bool IsRegistered { get; set; }

    public void Dequeue()
    {
        Waiting--;
        arbiter.CountDequeued();
        owner.Grant();
    }
}
