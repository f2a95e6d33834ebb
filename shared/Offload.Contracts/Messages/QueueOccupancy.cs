using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// SQ/CQ occupancy per application queue pair, or per application. Keys: 0 timestamp (Unix ns), 1 trigger, 2 entries
/// (array of <see cref="QueueOccupancyEntry"/>), 3 node totals, 4 scope (<see cref="OccupancyScope"/>; absent = per queue
/// pair). With more queue pairs than fit (<see cref="MaxEntries"/>) a sender reports per application: one entry per
/// application with its queues' depths, sizes and averages summed and the highest level, queue
/// <see cref="QueueId.AllQueues"/> (the per-queue detail then travels in the connection flow records).
/// </summary>
public sealed class QueueOccupancy : IMailboxMessage
{
    public const int MaxEntries = 8192;

    public MessageType Type => MessageType.QueueOccupancy;

    public long TimestampUnixNanos { get; set; }

    public OccupancyTrigger Trigger { get; set; }

    public List<QueueOccupancyEntry> Entries { get; } = [];

    public NodeTotals Totals { get; set; }

    /// <summary>What one entry covers.</summary>
    public OccupancyScope Scope { get; set; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(Scope == OccupancyScope.QueuePair ? 4 : 5);
        writer.Write(0);
        writer.Write(TimestampUnixNanos);
        writer.Write(1);
        writer.Write((byte)Trigger);
        writer.Write(2);
        EntryList.Write(ref writer, Entries);

        writer.Write(3);
        Totals.Write(ref writer);
        if (Scope != OccupancyScope.QueuePair)
        {
            writer.Write(4);
            writer.Write((byte)Scope);
        }
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
                case 4: message.Scope = (OccupancyScope)reader.ReadByte(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return message;
    }
}

/// <summary>What a <see cref="QueueOccupancyEntry"/> of a <see cref="QueueOccupancy"/> covers.</summary>
public enum OccupancyScope : byte
{
    /// <summary>One SQ/CQ pair.</summary>
    QueuePair = 0,

    /// <summary>Every queue pair of one application, summed (levels: the highest).</summary>
    Application = 1,
}
