using System.Text.Json.Serialization;

namespace Offload.Contracts.Management;

/// <summary>A static flow rule (unset match fields are wildcards). Actions: comma-separated <c>output:N</c>,
/// <c>flood</c>, <c>drop</c>, <c>controller</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FlowRuleSpec
{
    /// <summary>Priority (learned flows use 100).</summary>
    public int Priority { get; set; } = 1000;

    /// <summary>Input port, or null for any.</summary>
    public int? InPort { get; set; }

    /// <summary>Source MAC, or null for any.</summary>
    public string? EthSrc { get; set; }

    /// <summary>Destination MAC, or null for any.</summary>
    public string? EthDst { get; set; }

    /// <summary>EtherType, or null for any.</summary>
    public int? EtherType { get; set; }

    /// <summary>Actions, for example <c>output:2</c> or <c>drop</c>.</summary>
    public string Actions { get; set; } = "drop";
}
