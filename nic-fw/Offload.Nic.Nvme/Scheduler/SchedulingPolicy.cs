namespace Offload.Nic.Nvme.Scheduler;

public enum SchedulingPolicy
{
    /// <summary>One command per SQ in turn (NVMe Base 2.0, 3.4.4.1 round robin arbitration).</summary>
    RoundRobin = 0,

    /// <summary>Each SQ takes up to its application's weight in commands per turn (cf. 3.4.4.2).</summary>
    WeightedRoundRobin = 1,

    /// <summary>Round robin among SQs whose application's token bucket (IOPS, bytes/s) admits the next command.</summary>
    TokenBucket = 2,
}
