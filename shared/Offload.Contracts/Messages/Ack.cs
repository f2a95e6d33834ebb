using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>Confirms that a message was applied. Keys: 0 acknowledged sequence, 1 applied-at epoch (optional).</summary>
public sealed class Ack : IMailboxMessage
{
    public MessageType Type => MessageType.Ack;

    public ulong AckedSequence { get; init; }

    public ulong Epoch { get; init; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write(0);
        writer.Write(AckedSequence);
        writer.Write(1);
        writer.Write(Epoch);
    }

    public static Ack Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        ulong seq = 0, epoch = 0;
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: seq = reader.ReadUInt64(); break;
                case 1: epoch = reader.ReadUInt64(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new Ack { AckedSequence = seq, Epoch = epoch };
    }
}
