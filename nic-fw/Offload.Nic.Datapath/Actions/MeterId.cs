namespace Offload.Nic.Datapath.Actions;

/// <summary>Meter identifier, 0..<see cref="MeterTable.Capacity"/>-1.</summary>
public readonly record struct MeterId(ushort Value);
