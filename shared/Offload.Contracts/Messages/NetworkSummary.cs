using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// A node's flow-metadata demand summary for a network controller (claims 5 and 14): NIC → every mailbox peer, every
/// few periods. Keys: 0 node (board id), 1 timestamp (Unix ns), 2 period the rates cover (ns), 3 demand (array of
/// <see cref="DemandEntry"/>, at most <see cref="MaxEntries"/>), 4 node totals. Peers that are no network controller
/// skip it.
/// </summary>
public sealed class NetworkSummary : IMailboxMessage
{
    public const int MaxEntries = 4096;

    /// <summary>Longest node name accepted.</summary>
    public const int MaxNodeSize = 256;

    public MessageType Type => MessageType.NetworkSummary;

    public string Node { get; set; } = "";

    public long TimestampUnixNanos { get; set; }

    public long PeriodNanos { get; set; }

    public List<DemandEntry> Demand { get; } = [];

    public NodeTotals Totals { get; set; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(5);
        writer.Write(0);
        writer.Write(Node);
        writer.Write(1);
        writer.Write(TimestampUnixNanos);
        writer.Write(2);
        writer.Write(PeriodNanos);
        writer.Write(3);
        EntryList.Write(ref writer, Demand);
        writer.Write(4);
        Totals.Write(ref writer);
    }

    public static NetworkSummary Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        var message = new NetworkSummary();
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: message.Node = ReadNode(ref reader); break;
                case 1: message.TimestampUnixNanos = reader.ReadInt64(); break;
                case 2: message.PeriodNanos = reader.ReadInt64(); break;
                case 3: EntryList.Read(ref reader, message.Demand, MaxEntries, DemandEntry.Read, stats); break;
                case 4: message.Totals = NodeTotals.Read(ref reader, stats); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return message;
    }

    private static string ReadNode(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        string node = reader.ReadString() ?? "";
        return node.Length <= MaxNodeSize
            ? node
            : throw new MessagePackSerializationException($"node name of {node.Length} characters exceeds {MaxNodeSize}", offset);
    }
}
