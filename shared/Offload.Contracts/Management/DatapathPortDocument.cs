namespace Offload.Contracts.Management;

/// <summary>One switch port's counters.</summary>
public sealed record DatapathPortDocument(uint Port, string Name, ulong RxPackets, ulong RxBytes, ulong TxPackets, ulong TxBytes, ulong TxDropped);
