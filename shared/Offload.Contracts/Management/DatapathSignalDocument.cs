namespace Offload.Contracts.Management;

/// <summary>In-packet signals stamped by the datapath, cumulative: packets marked ECN CE by the congestion indicator
/// (only ECT packets of applications the controller flagged congested) and rate advertisements inserted.</summary>
public sealed record DatapathSignalDocument(ulong CongestionMarked, ulong RateAdvertised);
