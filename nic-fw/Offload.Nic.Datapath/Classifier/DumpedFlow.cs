using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Classifier;

/// <summary>A copy of one megaflow and its counters, taken by the poll thread for a flow dump.</summary>
public sealed record DumpedFlow(
    FlowKey Match,
    FlowKey Mask,
    int Priority,
    FlowAction[] Actions,
    long Packets,
    long Bytes,
    long UsedMsAgo,
    ushort TcpFlags,
    long IdleTimeoutMs,
    long HardTimeoutMs);
