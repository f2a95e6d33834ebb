using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// NIC to host: an upcall. Keys: 0 upcall id, 1 input port, 2 flow key (the datapath's fixed-size key bytes),
/// 3 packet head (at most <see cref="MaxHeadSize"/> bytes), 4 reason (<see cref="ReasonMiss"/>: the packet matched no
/// flow and is held until a FlowInstall answers upcall id; <see cref="ReasonAction"/>: a flow's controller action sent
/// a copy, nothing is held, upcall id is 0), 5 user data (the controller action's argument; 0 for a miss).
/// </summary>
public sealed class FlowMiss : IMailboxMessage
{
    public const int MaxKeySize = 256;
    public const int MaxHeadSize = 256;

    /// <summary>Reason: no flow matched; answer with a FlowInstall carrying the upcall id.</summary>
    public const byte ReasonMiss = 0;

    /// <summary>Reason: a controller action (packet-in); not held, no answer expected.</summary>
    public const byte ReasonAction = 1;

    public MessageType Type => MessageType.FlowMiss;

    public ulong UpcallId { get; init; }

    public uint InPort { get; init; }

    public ReadOnlyMemory<byte> Key { get; init; }

    public ReadOnlyMemory<byte> PacketHead { get; init; }

    public byte Reason { get; init; }

    /// <summary>The controller action's argument (reason <see cref="ReasonAction"/>); 0 otherwise.</summary>
    public ulong UserData { get; init; }

    /// <summary>True when this is a controller action's packet-in rather than a miss.</summary>
    public bool IsAction => Reason == ReasonAction;

    public void Write(ref MessagePackWriter writer) =>
        Write(ref writer, UpcallId, InPort, Key.Span, PacketHead.Span, Reason, UserData);

    /// <summary>Writes a FlowMiss from its parts (the NIC's allocation-free upcall path writes from its slots).</summary>
    public static void Write(ref MessagePackWriter writer, ulong upcallId, uint inPort, ReadOnlySpan<byte> key, ReadOnlySpan<byte> packetHead, byte reason, ulong userData)
    {
        writer.WriteMapHeader(6);
        writer.Write(0);
        writer.Write(upcallId);
        writer.Write(1);
        writer.Write(inPort);
        writer.Write(2);
        writer.Write(key);
        writer.Write(3);
        writer.Write(packetHead);
        writer.Write(4);
        writer.Write(reason);
        writer.Write(5);
        writer.Write(userData);
    }

    public static FlowMiss Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        ulong id = 0;
        uint port = 0;
        byte[] key = [], head = [];
        byte reason = 0;
        ulong userData = 0;
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
                case 5: userData = reader.ReadUInt64(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new FlowMiss { UpcallId = id, InPort = port, Key = key, PacketHead = head, Reason = reason, UserData = userData };
    }
}
