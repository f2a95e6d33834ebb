namespace Offload.Contracts.Management;

/// <summary>Flow table: flows installed now, evicted at the flow limit, expired by timeouts.</summary>
public sealed record DatapathFlowDocument(ulong Count, ulong Evicted, ulong Expired);
