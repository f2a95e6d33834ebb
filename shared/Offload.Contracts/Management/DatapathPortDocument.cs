namespace Offload.Contracts.Management;

/// <summary>One switch port's counters, and its MTU (0: the NIC did not report it).</summary>
public sealed record DatapathPortDocument(uint Port, string Name, ulong RxPackets, ulong RxBytes, ulong TxPackets, ulong TxBytes, ulong TxDropped, uint Mtu = 0);
