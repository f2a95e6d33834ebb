using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Host to NIC: install a megaflow. Keys: 0 upcall id being answered (0 = proactive), 1 match (key bytes), 2 mask
/// (key bytes; 1 bits are matched), 3 priority, 4 actions (array of [kind, argument]), 5 idle timeout (ms, 0 = none),
/// 6 hard timeout (ms, 0 = none), 7 cookie (controller's rule id).
/// </summary>
public sealed class FlowInstall : IMailboxMessage
{
    public const int MaxActions = 32;

    public MessageType Type => MessageType.FlowInstall;

    public ulong UpcallId { get; init; }

    public ReadOnlyMemory<byte> Match { get; init; }

    public ReadOnlyMemory<byte> Mask { get; init; }

    public int Priority { get; init; }

    public IReadOnlyList<FlowAction> Actions { get; init; } = [];

    public uint IdleTimeoutMs { get; init; }

    public uint HardTimeoutMs { get; init; }

    public ulong Cookie { get; init; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(8);
        writer.Write(0);
        writer.Write(UpcallId);
        writer.Write(1);
        writer.Write(Match.Span);
        writer.Write(2);
        writer.Write(Mask.Span);
        writer.Write(3);
        writer.Write(Priority);
        writer.Write(4);
        writer.WriteArrayHeader(Actions.Count);
        for (int i = 0; i < Actions.Count; i++)
        {
            writer.WriteArrayHeader(2);
            writer.Write((ushort)Actions[i].Kind);
            writer.Write(Actions[i].Argument);
        }

        writer.Write(5);
        writer.Write(IdleTimeoutMs);
        writer.Write(6);
        writer.Write(HardTimeoutMs);
        writer.Write(7);
        writer.Write(Cookie);
    }

    public static FlowInstall Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        ulong id = 0, cookie = 0;
        byte[] match = [], mask = [];
        int priority = 0;
        uint idle = 0, hard = 0;
        FlowAction[] actions = [];
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int k))
            {
                continue;
            }

            switch (k)
            {
                case 0: id = reader.ReadUInt64(); break;
                case 1: match = BinField.Read(ref reader, FlowMiss.MaxKeySize, "match"); break;
                case 2: mask = BinField.Read(ref reader, FlowMiss.MaxKeySize, "mask"); break;
                case 3: priority = reader.ReadInt32(); break;
                case 4: actions = ReadActions(ref reader, stats); break;
                case 5: idle = reader.ReadUInt32(); break;
                case 6: hard = reader.ReadUInt32(); break;
                case 7: cookie = reader.ReadUInt64(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new FlowInstall
        {
            UpcallId = id, Match = match, Mask = mask, Priority = priority, Actions = actions,
            IdleTimeoutMs = idle, HardTimeoutMs = hard, Cookie = cookie,
        };
    }

    internal static FlowAction[] ReadActions(ref MessagePackReader reader, DecodeStatistics? stats)
    {
        long offset = reader.Consumed;
        int n = MapKey.EnterArray(ref reader);
        if (n > MaxActions)
        {
            throw new MessagePackSerializationException($"action list of {n} exceeds the cap of {MaxActions}", offset);
        }

        var actions = new FlowAction[n];
        for (int i = 0; i < n; i++)
        {
            int fields = MapKey.EnterArray(ref reader);
            ushort kind = 0;
            ulong argument = 0;
            for (int f = 0; f < fields; f++)
            {
                switch (f)
                {
                    case 0: kind = reader.ReadUInt16(); break;
                    case 1: argument = reader.ReadUInt64(); break;
                    default: MapKey.SkipUnknown(ref reader, stats); break;
                }
            }

            MapKey.Leave(ref reader);
            actions[i] = new FlowAction((FlowActionKind)kind, argument);
        }

        MapKey.Leave(ref reader);
        return actions;
    }
}
