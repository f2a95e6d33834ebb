namespace Offload.Simulation.Model;

/// <summary>How the NIC dequeues tenants' submission queues into the shared memory.</summary>
internal enum SchedulerKind
{
    /// <summary>No control: one FIFO into the memory, no per-tenant queues (rewards queue depth).</summary>
    Fifo = 0,

    /// <summary>NVMe round-robin arbitration: one command per non-empty SQ in turn, device queue depth bounded.</summary>
    NvmeRoundRobin = 1,

    /// <summary>Static equal per-tenant IOPS limits (how SPDK bdev QoS is used), FIFO behind the limiters.</summary>
    StaticLimits = 2,

    /// <summary>Offload: token buckets and weighted dequeue set by the VS controller policy, work-conserving.</summary>
    Offload = 3,
}
