namespace Offload.Host.Switching;

/// <summary>
/// One entry of <c>Switching:Rules</c>: a flow installed proactively on every NIC, above the learned flows. Unset match
/// fields are wildcards. Actions: comma-separated <c>output:N</c>, <c>flood</c>, <c>drop</c>, <c>controller</c>,
/// <c>congestion_mark:APP</c> (ECN CE on ECT packets while the application is flagged congested) and
/// <c>rate_advertise:APP</c> (the RFC 4727 IPv4 rate option carrying the application's advertised rate).
/// </summary>
public sealed class StaticRule
{
    /// <summary>Priority (learned flows use <c>Switching:Priority</c>, 100).</summary>
    public int Priority { get; set; } = 1000;

    /// <summary>Input port, or null for any.</summary>
    public int? InPort { get; set; }

    /// <summary>Source MAC (aa:bb:cc:dd:ee:ff), or null for any.</summary>
    public string? EthSrc { get; set; }

    /// <summary>Destination MAC, or null for any.</summary>
    public string? EthDst { get; set; }

    /// <summary>EtherType (for example 2054 for ARP), or null for any.</summary>
    public int? EtherType { get; set; }

    /// <summary>IP protocol (6 TCP, 17 UDP, 1 ICMP), or null for any. Use with EtherType.</summary>
    public int? IpProto { get; set; }

    /// <summary>TCP/UDP source port, or null for any. Use with IpProto.</summary>
    public int? TpSrc { get; set; }

    /// <summary>TCP/UDP destination port, or null for any. Use with IpProto.</summary>
    public int? TpDst { get; set; }

    /// <summary>Actions, for example <c>output:2</c> or <c>drop</c>.</summary>
    public string Actions { get; set; } = "drop";
}
