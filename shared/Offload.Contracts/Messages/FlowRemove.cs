using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Host to NIC: remove flows. Keys: 0 match, 1 mask, 2 priority, 3 cookie (non-zero: remove every flow with this
/// cookie, match and mask ignored), 4 strict (true: match, mask and priority must be equal).
/// </summary>
public sealed class FlowRemove : IMailboxMessage
{
    public MessageType Type => MessageType.FlowRemove;

    public ReadOnlyMemory<byte> Match { get; init; }

    public ReadOnlyMemory<byte> Mask { get; init; }

    public int Priority { get; init; }

    public ulong Cookie { get; init; }

    public bool Strict { get; init; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(5);
        writer.Write(0);
        writer.Write(Match.Span);
        writer.Write(1);
        writer.Write(Mask.Span);
        writer.Write(2);
        writer.Write(Priority);
        writer.Write(3);
        writer.Write(Cookie);
        writer.Write(4);
        writer.Write(Strict);
    }

    public static FlowRemove Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        byte[] match = [], mask = [];
        int priority = 0;
        ulong cookie = 0;
        bool strict = false;
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int k))
            {
                continue;
            }

            switch (k)
            {
                case 0: match = BinField.Read(ref reader, FlowMiss.MaxKeySize, "match"); break;
                case 1: mask = BinField.Read(ref reader, FlowMiss.MaxKeySize, "mask"); break;
                case 2: priority = reader.ReadInt32(); break;
                case 3: cookie = reader.ReadUInt64(); break;
                case 4: strict = reader.ReadBoolean(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new FlowRemove { Match = match, Mask = mask, Priority = priority, Cookie = cookie, Strict = strict };
    }
}
