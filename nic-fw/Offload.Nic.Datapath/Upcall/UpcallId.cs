namespace Offload.Nic.Datapath.Upcall;

/// <summary>Identifies one miss upcall; the controller may echo it in FlowInstall.</summary>
public readonly record struct UpcallId(ulong Value);
