using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Host to NIC: per-application memory request rates. Keys: 0 epoch (monotonic per controller), 1 entries
/// (array of <see cref="RateEntry"/>), 2 full (true = applications not listed return to unlimited).
/// The NIC answers with <see cref="Ack"/> carrying the epoch once applied.
/// </summary>
public sealed class RateUpdate : IMailboxMessage
{
    public const int MaxEntries = 4096;

    public MessageType Type => MessageType.RateUpdate;

    public ulong Epoch { get; set; }

    public bool IsFull { get; set; }

    public List<RateEntry> Entries { get; } = [];

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(3);
        writer.Write(0);
        writer.Write(Epoch);
        writer.Write(1);
        EntryList.Write(ref writer, Entries);

        writer.Write(2);
        writer.Write(IsFull);
    }

    public static RateUpdate Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        var message = new RateUpdate();
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: message.Epoch = reader.ReadUInt64(); break;
                case 1: EntryList.Read(ref reader, message.Entries, MaxEntries, RateEntry.Read, stats); break;
                case 2: message.IsFull = reader.ReadBoolean(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return message;
    }
}
