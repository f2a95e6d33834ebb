namespace Offload.Contracts.Management;

/// <summary>In-packet signals stamped by the datapath, cumulative: packets marked ECN CE by the congestion indicator
/// (only ECT packets of applications the controller flagged congested), rate advertisements inserted, and packets a
/// rate advertisement left unstamped (no room in the header, or a full-size packet the option would push past the MTU).</summary>
public sealed record DatapathSignalDocument(ulong CongestionMarked, ulong RateAdvertised, ulong RateNotAdvertised = 0);
