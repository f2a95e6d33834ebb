using System.Buffers;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Periodic flow metadata from the NIC. Keys: 0 timestamp (Unix ns), 1 report period (ns), 2 flows (array of
/// <see cref="FlowRecord"/>), 3 node totals, 4 application names (array of <see cref="ApplicationName"/>; present only
/// when the NIC has names to tell: new applications, and every application now and then), 5 part (absent or 0: the
/// period's first batch, carrying every application record and the first connection records; 1, 2, ...: continuation
/// batches of the same period carrying only further connection records, sent when the period has more records than
/// <see cref="MaxFlows"/>), 6 packed connection records (optional: array [record size, bin of back-to-back
/// <see cref="PackedFlowRecord"/>s], decoded into <see cref="Flows"/> after key 2's records as
/// <see cref="FlowRecordKind.Connection"/> records; an older decoder skips the key and sees the application records
/// only). Reusable: <see cref="ReadInto"/> refills an existing instance so a
/// steady-state decode allocates nothing once <see cref="Flows"/> has grown.
/// </summary>
public sealed class FlowMetadataBatch : IMailboxMessageWithTail
{
    /// <summary>Most flows one batch may carry; senders split larger sets.</summary>
    public const int MaxFlows = 8192;

    public MessageType Type => MessageType.FlowMetadataBatch;

    public long TimestampUnixNanos { get; set; }

    public long PeriodNanos { get; set; }

    public List<FlowRecord> Flows { get; } = [];

    /// <summary>Most application names one batch may carry.</summary>
    public const int MaxApplicationNames = 4096;

    public NodeTotals Totals { get; set; }

    /// <summary>0 for the period's first batch; 1.. for continuation batches holding only connection records.</summary>
    public int Part { get; set; }

    /// <summary>Names of applications (id → host NQN, host ID); empty in most batches.</summary>
    public List<ApplicationName> Applications { get; } = [];

    /// <summary>Largest packed record size a decoder accepts (a newer sender's appended fields included).</summary>
    public const int MaxPackedRecordSize = 4096;

    /// <summary>Sending side: connection records already in <see cref="PackedFlowRecord"/> form (a whole number of
    /// records), written as key 6 when not empty. Decoding leaves it empty and appends the records to <see cref="Flows"/>.</summary>
    public ReadOnlyMemory<byte> PackedConnections
    {
        get => _packed;
        set => (_packed, _packedCrc) = (value, null);
    }

    /// <summary>Sending side: the CRC-32C register (from 0, no final XOR) of <see cref="PackedConnections"/>, when the
    /// sender computed it while packing (the framer then does not read the records again); null: not known. Setting
    /// <see cref="PackedConnections"/> forgets it (<see cref="SetPackedConnections"/> sets both).</summary>
    public uint? PackedConnectionsCrc => _packedCrc;

    private ReadOnlyMemory<byte> _packed;
    private uint? _packedCrc;

    /// <summary>Sets <see cref="PackedConnections"/> with the CRC register of exactly those bytes.</summary>
    public void SetPackedConnections(ReadOnlyMemory<byte> records, uint crcRegister) => (_packed, _packedCrc) = (records, crcRegister);

    /// <summary>The packed records (written last, after key 6's bin header): a session sends them from the sender's
    /// buffer.</summary>
    public ReadOnlyMemory<byte> Tail => PackedConnections;

    public uint? TailCrcRegister => PackedConnections.IsEmpty ? 0 : PackedConnectionsCrc;

    public void Write(ref MessagePackWriter writer)
    {
        WriteHead(ref writer);
        writer.WriteRaw(PackedConnections.Span);
    }

    public void WriteHead(ref MessagePackWriter writer)
    {
        bool packed = !PackedConnections.IsEmpty;
        writer.WriteMapHeader(4 + (Applications.Count > 0 ? 1 : 0) + (Part > 0 ? 1 : 0) + (packed ? 1 : 0));
        writer.Write(0);
        writer.Write(TimestampUnixNanos);
        writer.Write(1);
        writer.Write(PeriodNanos);
        writer.Write(2);
        EntryList.Write(ref writer, Flows);

        writer.Write(3);
        Totals.Write(ref writer);
        if (Applications.Count > 0)
        {
            writer.Write(4);
            EntryList.Write(ref writer, Applications);
        }

        if (Part > 0)
        {
            writer.Write(5);
            writer.Write(Part);
        }

        if (packed)
        {
            writer.Write(6);
            writer.WriteArrayHeader(2);
            writer.Write(PackedFlowRecord.Size);
            writer.WriteBinHeader(PackedConnections.Length);
        }
    }

    public static FlowMetadataBatch Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        var batch = new FlowMetadataBatch();
        ReadInto(ref reader, batch, stats);
        return batch;
    }

    public static void ReadInto(ref MessagePackReader reader, FlowMetadataBatch batch, DecodeStatistics? stats = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Flows.Clear();
        batch.Applications.Clear();
        batch.Totals = default;
        batch.TimestampUnixNanos = 0;
        batch.PeriodNanos = 0;
        batch.Part = 0;
        batch.PackedConnections = default;
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: batch.TimestampUnixNanos = reader.ReadInt64(); break;
                case 1: batch.PeriodNanos = reader.ReadInt64(); break;
                case 2: EntryList.Read(ref reader, batch.Flows, MaxFlows, FlowRecord.Read, stats); break;
                case 3: batch.Totals = NodeTotals.Read(ref reader, stats); break;
                case 4: EntryList.Read(ref reader, batch.Applications, MaxApplicationNames, ApplicationName.Read, stats); break;
                case 5: batch.Part = reader.ReadInt32(); break;
                case 6: ReadPacked(ref reader, batch.Flows); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }
    }

    /// <summary>Key 6: [record size, bin]; every record becomes a connection <see cref="FlowRecord"/>.</summary>
    private static void ReadPacked(ref MessagePackReader reader, List<FlowRecord> flows)
    {
        long offset = reader.Consumed;
        int n = MapKey.EnterArray(ref reader);
        if (n < 2)
        {
            throw new MessagePackSerializationException($"packed connection records need [record size, bin], got {n} elements", offset);
        }

        int size = reader.ReadInt32();
        if (size < PackedFlowRecord.Size || size > MaxPackedRecordSize)
        {
            throw new MessagePackSerializationException($"packed record size {size} is outside {PackedFlowRecord.Size}..{MaxPackedRecordSize}", offset);
        }

        long binOffset = reader.Consumed;
        if (reader.TryReadBytesSpan(out var span))
        {
            AddPacked(span, size, flows, binOffset);
        }
        else
        {
            ReadOnlySequence<byte> bytes = reader.ReadBytes() ?? default;
            byte[] copy = bytes.ToArray(); // multi-segment input only (the mailbox hands a single segment)
            AddPacked(copy, size, flows, binOffset);
        }

        for (int i = 2; i < n; i++)
        {
            reader.Skip();
        }

        MapKey.Leave(ref reader);
    }

    private static void AddPacked(ReadOnlySpan<byte> records, int size, List<FlowRecord> flows, long offset)
    {
        if (records.Length % size != 0)
        {
            throw new MessagePackSerializationException($"packed records of {records.Length} bytes are not a whole number of {size}-byte records", offset);
        }

        int n = records.Length / size;
        if (flows.Count + n > MaxFlows)
        {
            throw new MessagePackSerializationException($"{flows.Count + n} flow records exceed the cap of {MaxFlows}", offset);
        }

        int start = flows.Count;
        System.Runtime.InteropServices.CollectionsMarshal.SetCount(flows, start + n);
        var into = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(flows)[start..];
        for (int i = 0; i < n; i++)
        {
            if (!PackedFlowRecord.TryRead(records.Slice(i * size, size), out into[i]))
            {
                throw new MessagePackSerializationException($"packed connection record {i} has an occupancy level outside 0-2", offset);
            }
        }
    }
}
