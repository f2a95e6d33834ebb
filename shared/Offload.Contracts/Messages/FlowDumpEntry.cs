using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// One megaflow in a <see cref="FlowDumpReply"/>. Positional: 0 match (bin), 1 mask (bin), 2 priority, 3 actions
/// (array of [kind, argument], as in FlowInstall), 4 packets, 5 bytes, 6 milliseconds since last use (-1: never),
/// 7 TCP flags seen, 8 idle timeout ms, 9 hard timeout ms.
/// </summary>
public sealed class FlowDumpEntry
{
    public const int FieldCount = 10;

    public ReadOnlyMemory<byte> Match { get; init; }

    public ReadOnlyMemory<byte> Mask { get; init; }

    public int Priority { get; init; }

    public IReadOnlyList<FlowAction> Actions { get; init; } = [];

    public long Packets { get; init; }

    public long Bytes { get; init; }

    /// <summary>Milliseconds since the flow last matched a packet; -1 when it never did.</summary>
    public long UsedMsAgo { get; init; } = -1;

    public ushort TcpFlags { get; init; }

    public uint IdleTimeoutMs { get; init; }

    public uint HardTimeoutMs { get; init; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(Match.Span);
        writer.Write(Mask.Span);
        writer.Write(Priority);
        writer.WriteArrayHeader(Actions.Count);
        for (int i = 0; i < Actions.Count; i++)
        {
            writer.WriteArrayHeader(2);
            writer.Write((ushort)Actions[i].Kind);
            writer.Write(Actions[i].Argument);
        }

        writer.Write(Packets);
        writer.Write(Bytes);
        writer.Write(UsedMsAgo);
        writer.Write(TcpFlags);
        writer.Write(IdleTimeoutMs);
        writer.Write(HardTimeoutMs);
    }

    public static FlowDumpEntry Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        byte[] match = [], mask = [];
        int priority = 0;
        FlowAction[] actions = [];
        long packets = 0, bytes = 0, used = -1;
        ushort flags = 0;
        uint idle = 0, hard = 0;
        int count = MapKey.EnterArray(ref reader);
        for (int key = 0; key < count; key++)
        {
            if (reader.TryReadNil())
            {
                continue;
            }

            switch (key)
            {
                case 0: match = BinField.Read(ref reader, FlowMiss.MaxKeySize, "match"); break;
                case 1: mask = BinField.Read(ref reader, FlowMiss.MaxKeySize, "mask"); break;
                case 2: priority = reader.ReadInt32(); break;
                case 3: actions = FlowInstall.ReadActions(ref reader, stats); break;
                case 4: packets = reader.ReadInt64(); break;
                case 5: bytes = reader.ReadInt64(); break;
                case 6: used = reader.ReadInt64(); break;
                case 7: flags = reader.ReadUInt16(); break;
                case 8: idle = reader.ReadUInt32(); break;
                case 9: hard = reader.ReadUInt32(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        MapKey.Leave(ref reader);
        return new FlowDumpEntry
        {
            Match = match, Mask = mask, Priority = priority, Actions = actions, Packets = packets, Bytes = bytes,
            UsedMsAgo = used, TcpFlags = flags, IdleTimeoutMs = idle, HardTimeoutMs = hard,
        };
    }
}
