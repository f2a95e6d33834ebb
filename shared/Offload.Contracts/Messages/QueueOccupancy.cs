using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// SQ/CQ occupancy per application queue pair. Keys: 0 timestamp (Unix ns), 1 trigger, 2 entries (array of
/// <see cref="QueueOccupancyEntry"/>), 3 node totals.
/// </summary>
public sealed class QueueOccupancy : IMailboxMessage
{
    public const int MaxEntries = 8192;

    public MessageType Type => MessageType.QueueOccupancy;

    public long TimestampUnixNanos { get; set; }

    public OccupancyTrigger Trigger { get; set; }

    public List<QueueOccupancyEntry> Entries { get; } = [];

    public NodeTotals Totals { get; set; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(4);
        writer.Write(0);
        writer.Write(TimestampUnixNanos);
        writer.Write(1);
        writer.Write((byte)Trigger);
        writer.Write(2);
        EntryList.Write(ref writer, Entries);

        writer.Write(3);
        Totals.Write(ref writer);
    }

    public static QueueOccupancy Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        var message = new QueueOccupancy();
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: message.TimestampUnixNanos = reader.ReadInt64(); break;
                case 1: message.Trigger = (OccupancyTrigger)reader.ReadByte(); break;
                case 2: EntryList.Read(ref reader, message.Entries, MaxEntries, QueueOccupancyEntry.Read, stats); break;
                case 3: message.Totals = NodeTotals.Read(ref reader, stats); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return message;
    }
}
