using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath;

/// <summary>A control-plane request queued for the poll thread (the only thread that touches the tables).</summary>
internal sealed class ControlCommand
{
    public ControlCommandKind Kind { get; init; }

    public FlowId Id { get; init; }

    public FlowKey Match { get; init; }

    public FlowKey Mask { get; init; }

    public int Priority { get; init; }

    public FlowAction[] Actions { get; init; } = [];

    public long IdleTicks { get; init; }

    public long HardTicks { get; init; }

    public MeterId Meter { get; init; }

    public MeterConfig MeterConfig { get; init; }
}
