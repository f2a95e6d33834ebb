namespace Offload.Nic.Nvme.Subsystem;

/// <summary>CNTLID, allocated dynamically (1..0xFFEF) at admin Connect.</summary>
public readonly record struct ControllerId(ushort Value);
