using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Classifier;

/// <summary>
/// A megaflow: masked match, mask (wildcards), priority, actions, timeouts and counters.
/// Counters are written only by the poll thread.
/// </summary>
public sealed class Megaflow
{
    private FlowAction[] _actions;

    internal Megaflow(FlowId id, in FlowKey match, in FlowKey mask, int priority, FlowAction[] actions, long idleTicks, long hardTicks, long now)
    {
        Id = id;
        MaskKey = mask;
        MatchKey = match.And(mask);
        Priority = priority;
        _actions = actions;
        IdleTimeoutTicks = idleTicks;
        HardTimeoutTicks = hardTicks;
        CreatedTimestamp = now;
        LastUsed = now;
        IsAlive = true;
    }

    /// <summary>Identifier.</summary>
    public FlowId Id { get; internal set; }

    /// <summary>Match, already ANDed with <see cref="Mask"/>.</summary>
    public FlowKey Match => MatchKey;

    /// <summary>Mask: set bits are matched, clear bits are wildcards.</summary>
    public FlowKey Mask => MaskKey;

    /// <summary>Hot-path access without copying the 64-byte struct.</summary>
    internal readonly FlowKey MatchKey;

    /// <summary>Hot-path access without copying the 64-byte struct.</summary>
    internal readonly FlowKey MaskKey;

    /// <summary>Higher wins when several megaflows match.</summary>
    public int Priority { get; internal set; }

    /// <summary>Actions in execution order.</summary>
    public ReadOnlySpan<FlowAction> Actions => _actions;

    internal FlowAction[] ActionArray => _actions;

    /// <summary>Idle timeout in timestamp ticks (0 = none).</summary>
    public long IdleTimeoutTicks { get; internal set; }

    /// <summary>Hard timeout in timestamp ticks (0 = none).</summary>
    public long HardTimeoutTicks { get; internal set; }

    /// <summary>Timestamp of installation.</summary>
    public long CreatedTimestamp { get; internal set; }

    /// <summary>False once removed; cached references (EMC) check this.</summary>
    public bool IsAlive { get; internal set; }

    internal long Packets;
    internal long Bytes;
    internal long LastUsed;
    internal ushort TcpFlags;
    internal long NvmeReads;
    internal long NvmeWrites;
    internal long NvmeOther;
    internal long NvmeDataSize;

    /// <summary>Index in the flow table's dense array (for O(1) removal).</summary>
    internal int TableIndex = -1;

    /// <summary>Counter snapshot.</summary>
    public FlowStats Stats => new(Volatile.Read(ref Packets), Volatile.Read(ref Bytes), Volatile.Read(ref LastUsed), TcpFlags,
        NvmeReads, NvmeWrites, NvmeOther, NvmeDataSize);

    internal void Replace(int priority, FlowAction[] actions, long idleTicks, long hardTicks, long now)
    {
        Priority = priority;
        _actions = actions;
        IdleTimeoutTicks = idleTicks;
        HardTimeoutTicks = hardTicks;
        CreatedTimestamp = now;
    }

    internal void Account(int size, ushort tcpFlags, in PacketMetadata meta, long now)
    {
        Packets++;
        Bytes += size;
        LastUsed = now;
        TcpFlags |= tcpFlags;
        switch (meta.NvmeClass)
        {
            case NvmeOpcodeClass.None:
                return;
            case NvmeOpcodeClass.Read:
                NvmeReads++;
                break;
            case NvmeOpcodeClass.Write:
                NvmeWrites++;
                break;
            default:
                NvmeOther++;
                break;
        }

        NvmeDataSize += meta.NvmeDataSize;
    }
}
