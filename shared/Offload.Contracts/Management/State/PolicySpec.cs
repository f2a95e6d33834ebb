using System.Text.Json.Serialization;

namespace Offload.Contracts.Management;

/// <summary>Control-loop policy parameters that can change at runtime.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class PolicySpec
{
    /// <summary>Send the controller's rates to the NICs (false = dry run: decisions are recorded, nothing enforced).</summary>
    public bool Enforce { get; set; } = true;

    /// <summary>Enforce only once the NIC has sent flow metadata.</summary>
    public bool RequireFlowMetadata { get; set; } = true;
}
