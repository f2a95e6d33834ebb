using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Host to NIC: per-application resource allocations. Keys: 0 epoch, 1 entries (array of
/// <see cref="AllocationEntry"/>). Answered with <see cref="Ack"/>.
/// </summary>
public sealed class AllocationUpdate : IMailboxMessage
{
    public const int MaxEntries = 4096;

    public MessageType Type => MessageType.AllocationUpdate;

    public ulong Epoch { get; set; }

    public List<AllocationEntry> Entries { get; } = [];

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write(0);
        writer.Write(Epoch);
        writer.Write(1);
        EntryList.Write(ref writer, Entries);
    }

    public static AllocationUpdate Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        var message = new AllocationUpdate();
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
                case 1: EntryList.Read(ref reader, message.Entries, MaxEntries, AllocationEntry.Read, stats); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return message;
    }
}
