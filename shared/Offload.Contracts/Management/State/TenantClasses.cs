namespace Offload.Contracts.Management;

/// <summary>Values of <see cref="TenantSpec.Class"/>.</summary>
public static class TenantClasses
{
    /// <summary>Bulk work: its weighted share, no priority.</summary>
    public const string Throughput = "throughput";

    /// <summary>Small latency-critical I/O, dequeued first while within its rate.</summary>
    public const string LatencySensitive = "latency-sensitive";
}
