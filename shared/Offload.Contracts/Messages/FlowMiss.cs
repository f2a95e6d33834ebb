using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// NIC to host: an upcall for a packet that matched no flow. Keys: 0 upcall id, 1 input port, 2 flow key (the
/// datapath's fixed-size key bytes), 3 packet head (at most <see cref="MaxHeadSize"/> bytes), 4 reason
/// (0 = miss, 1 = controller action).
/// </summary>
public sealed class FlowMiss : IMailboxMessage
{
    public const int MaxKeySize = 256;
    public const int MaxHeadSize = 256;

    public MessageType Type => MessageType.FlowMiss;

    public ulong UpcallId { get; init; }

    public uint InPort { get; init; }

    public ReadOnlyMemory<byte> Key { get; init; }

    public ReadOnlyMemory<byte> PacketHead { get; init; }

    public byte Reason { get; init; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(5);
        writer.Write(0);
        writer.Write(UpcallId);
        writer.Write(1);
        writer.Write(InPort);
        writer.Write(2);
        writer.Write(Key.Span);
        writer.Write(3);
        writer.Write(PacketHead.Span);
        writer.Write(4);
        writer.Write(Reason);
    }

    public static FlowMiss Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        ulong id = 0;
        uint port = 0;
        byte[] key = [], head = [];
        byte reason = 0;
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
                case 1: port = reader.ReadUInt32(); break;
                case 2: key = BinField.Read(ref reader, MaxKeySize, "flow key"); break;
                case 3: head = BinField.Read(ref reader, MaxHeadSize, "packet head"); break;
                case 4: reason = reader.ReadByte(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new FlowMiss { UpcallId = id, InPort = port, Key = key, PacketHead = head, Reason = reason };
    }
}
