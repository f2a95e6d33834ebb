namespace Offload.Nic.Datapath.TxQueue;

/// <summary>A transmit source (VM port or tenant) sharing an output port's byte budget.</summary>
public readonly record struct SourceId(ushort Value);
