namespace Offload.Emulation.Qos;

/// <summary>How the real-time run controls the tenants (issue 5, section 5: three baselines and Offload, same run).</summary>
public enum QosMode
{
    /// <summary>No control: commands are served in turn regardless of tenant, so share follows queue depth. The target
    /// has no FIFO arbiter, so each tenant opens one I/O queue per outstanding command and the core's round robin over
    /// SQs becomes a round robin over commands.</summary>
    Fifo = 0,

    /// <summary>NVMe round robin: one I/O queue per tenant, the core's round robin arbitration (NVMe Base 2.0 §3.4.4.1).</summary>
    RoundRobin = 1,

    /// <summary>Static equal per-tenant IOPS limits (capacity / tenants), pinned through offloadd, like SPDK bdev QoS.</summary>
    StaticLimits = 2,

    /// <summary>Offload: offloadd's VS controller on (weights, reservations, limits, classes), weighted round robin.</summary>
    Offload = 3,
}
