namespace Offload.Nic.Datapath.Classifier;

/// <summary>The answer to <see cref="SwitchDatapath.DumpFlowsAsync"/>: the flows returned and how many matched in all.</summary>
public sealed record FlowDump(IReadOnlyList<DumpedFlow> Flows, int Matched);
