namespace Offload.Nic.Datapath.Classifier;

/// <summary>Datapath flow identifier, assigned at install time; never reused within a process.</summary>
public readonly record struct FlowId(ulong Value);
