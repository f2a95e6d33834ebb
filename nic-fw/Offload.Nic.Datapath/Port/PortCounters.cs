namespace Offload.Nic.Datapath.Port;

/// <summary>A snapshot of one switch port's counters (cumulative since the port was added).</summary>
/// <param name="Port">Datapath port number.</param>
/// <param name="Name">The port's name.</param>
/// <param name="RxPackets">Frames received.</param>
/// <param name="RxBytes">Bytes received.</param>
/// <param name="TxPackets">Frames the port accepted for transmission.</param>
/// <param name="TxBytes">Bytes the port accepted.</param>
/// <param name="TxDropped">Frames the port refused (counted as <see cref="DropReason.QueueFull"/> too).</param>
/// <param name="Mtu">The port's MTU (largest IP packet), as configured when it was added.</param>
public readonly record struct PortCounters(PortNo Port, string Name, long RxPackets, long RxBytes, long TxPackets, long TxBytes, long TxDropped, int Mtu = 1500);
