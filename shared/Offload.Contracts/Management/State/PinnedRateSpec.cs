using System.Text.Json.Serialization;

namespace Offload.Contracts.Management;

/// <summary>A rate pinned by the operator: the NIC enforces exactly this, whatever the controller computes.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class PinnedRateSpec
{
    /// <summary>Name of a tenant in the same desired state.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>IOPS limit, 1..100,000,000.</summary>
    public long Iops { get; set; }

    /// <summary>Bytes/s limit, 0 (none) ..10^12.</summary>
    public long BytesPerSecond { get; set; }
}
