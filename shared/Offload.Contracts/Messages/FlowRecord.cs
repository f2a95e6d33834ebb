using System.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Flow metadata over the last report period, either for one application (host NQN; <see cref="Kind"/> =
/// <see cref="FlowRecordKind.Application"/>, FlowId = the application id, 5-tuple empty) or for one connection
/// (NVMe/TCP I/O queue pair = one TCP 5-tuple; <see cref="FlowRecordKind.Connection"/>, FlowId has bit 63 set, Source =
/// the host, Destination = the NIC's listener). An application's record already covers its connections: sum one kind,
/// never both. Travels as a MessagePack
/// array whose index is the field's integer key (MessagePack-CSharp's int-keyed layout): a newer peer appends fields,
/// an older one skips and counts them, and missing trailing fields read as 0. Field keys are listed in
/// docs/PROTOCOL.md and never reused.
/// </summary>
public partial struct FlowRecord : IWireEntry
{
    /// <summary>Number of fields this version writes.</summary>
    public const int FieldCount = 28;

    /// <summary>Set in the FlowId of every <see cref="FlowRecordKind.Connection"/> record, so connection ids never
    /// collide with application ids (which are FlowIds of application records).</summary>
    public const ulong ConnectionFlowIdBit = 1UL << 63;

    public ulong FlowId { get; set; }                 // 0
    public AppId Application { get; set; }    // 1
    public FlowAddress Source { get; set; }           // 2 bin 4|16
    public FlowAddress Destination { get; set; }      // 3 bin 4|16
    public ushort SourcePort { get; set; }            // 4
    public ushort DestinationPort { get; set; }       // 5
    public byte Protocol { get; set; }                // 6 IP protocol number
    public float ReadRate { get; set; }               // 7 read requests/s, EWMA
    public float WriteRate { get; set; }              // 8 write requests/s, EWMA
    public float ReadRateWindow { get; set; }         // 9 read requests/s over the last window
    public float WriteRateWindow { get; set; }        // 10 write requests/s over the last window
    public float ReadWriteRatio { get; set; }         // 11 reads / (reads + writes), 0..1
    public ulong SharedMemorySize { get; set; }       // 12 bytes of namespace written or allocated
    public ulong CpuNanosPerSecond { get; set; }      // 13 NIC CPU spent on the flow's commands, ns/s
    public float PacketRate { get; set; }             // 14 received packets/s
    public float BitRate { get; set; }                // 15 received bits/s
    public uint SqDepth { get; set; }                 // 16 instantaneous SQ entries
    public float SqAverage { get; set; }              // 17 time-averaged SQ depth
    public OccupancyLevel SqLevel { get; set; }       // 18
    public uint CqDepth { get; set; }                 // 19
    public float CqAverage { get; set; }              // 20
    public OccupancyLevel CqLevel { get; set; }       // 21
    public uint LatencyP50Nanos { get; set; }         // 22 completed-command latency
    public uint LatencyP99Nanos { get; set; }         // 23
    public uint LatencyP999Nanos { get; set; }        // 24
    public FlowRecordKind Kind { get; set; }          // 25 application aggregate (0) or one connection (1)
    public float ReadBytesRate { get; set; }          // 26 completed read bytes/s over the last window
    public float WriteBytesRate { get; set; }         // 27 completed write bytes/s over the last window

    public readonly void Write(ref MessagePackWriter writer)
    {
        Span<byte> address = stackalloc byte[16];
        writer.WriteArrayHeader(FieldCount);
        writer.Write(FlowId);
        writer.Write(Application.Value);
        writer.Write(address[..Source.WriteBytes(address)]);
        writer.Write(address[..Destination.WriteBytes(address)]);
        writer.Write(SourcePort);
        writer.Write(DestinationPort);
        writer.Write(Protocol);
        writer.Write(ReadRate);
        writer.Write(WriteRate);
        writer.Write(ReadRateWindow);
        writer.Write(WriteRateWindow);
        writer.Write(ReadWriteRatio);
        writer.Write(SharedMemorySize);
        writer.Write(CpuNanosPerSecond);
        writer.Write(PacketRate);
        writer.Write(BitRate);
        writer.Write(SqDepth);
        writer.Write(SqAverage);
        writer.Write((byte)SqLevel);
        writer.Write(CqDepth);
        writer.Write(CqAverage);
        writer.Write((byte)CqLevel);
        writer.Write(LatencyP50Nanos);
        writer.Write(LatencyP99Nanos);
        writer.Write(LatencyP999Nanos);
        writer.Write((byte)Kind);
        writer.Write(ReadBytesRate);
        writer.Write(WriteBytesRate);
    }

    public static void Read(ref MessagePackReader reader, out FlowRecord record, DecodeStatistics? stats = null)
    {
        record = default;
        int count = MapKey.EnterArray(ref reader);
        int key = count >= FieldCount ? ReadDense(ref reader, ref record) : 0;
        for (; key < count; key++)
        {
            if (reader.TryReadNil())
            {
                continue;
            }

            ReadField(ref reader, ref record, key, stats);
        }

        MapKey.Leave(ref reader);
    }

    /// <summary>
    /// The common case, a record written by this version: every field present, in order, contiguous input. Reads
    /// straight through with one format-code check per field and returns how many fields it read; it stops at the first
    /// field that needs the general path (nil = absent, another encoding, an error to report), which continues there.
    /// </summary>
    private static int ReadDense(ref MessagePackReader reader, ref FlowRecord r)
    {
        ulong u;
        float f;
        if (!reader.TryReadUnsignedFast(ulong.MaxValue, out u)) { return 0; }
        r.FlowId = u;
        if (!reader.TryReadUnsignedFast(uint.MaxValue, out u)) { return 1; }
        r.Application = new AppId((uint)u);
        if (!reader.TryReadBytesSpan(out var source) || source.Length is not (4 or 16)) { return 2; }
        r.Source = FlowAddress.FromBytes(source);
        if (!reader.TryReadBytesSpan(out var destination) || destination.Length is not (4 or 16)) { return 3; }
        r.Destination = FlowAddress.FromBytes(destination);
        if (!reader.TryReadUnsignedFast(ushort.MaxValue, out u)) { return 4; }
        r.SourcePort = (ushort)u;
        if (!reader.TryReadUnsignedFast(ushort.MaxValue, out u)) { return 5; }
        r.DestinationPort = (ushort)u;
        if (!reader.TryReadUnsignedFast(byte.MaxValue, out u)) { return 6; }
        r.Protocol = (byte)u;
        if (!reader.TryReadSingleFast(out f)) { return 7; }
        r.ReadRate = f;
        if (!reader.TryReadSingleFast(out f)) { return 8; }
        r.WriteRate = f;
        if (!reader.TryReadSingleFast(out f)) { return 9; }
        r.ReadRateWindow = f;
        if (!reader.TryReadSingleFast(out f)) { return 10; }
        r.WriteRateWindow = f;
        if (!reader.TryReadSingleFast(out f)) { return 11; }
        r.ReadWriteRatio = f;
        if (!reader.TryReadUnsignedFast(ulong.MaxValue, out u)) { return 12; }
        r.SharedMemorySize = u;
        if (!reader.TryReadUnsignedFast(ulong.MaxValue, out u)) { return 13; }
        r.CpuNanosPerSecond = u;
        if (!reader.TryReadSingleFast(out f)) { return 14; }
        r.PacketRate = f;
        if (!reader.TryReadSingleFast(out f)) { return 15; }
        r.BitRate = f;
        if (!reader.TryReadUnsignedFast(uint.MaxValue, out u)) { return 16; }
        r.SqDepth = (uint)u;
        if (!reader.TryReadSingleFast(out f)) { return 17; }
        r.SqAverage = f;
        if (!reader.TryReadUnsignedFast((ulong)OccupancyLevel.High, out u)) { return 18; }
        r.SqLevel = (OccupancyLevel)u;
        if (!reader.TryReadUnsignedFast(uint.MaxValue, out u)) { return 19; }
        r.CqDepth = (uint)u;
        if (!reader.TryReadSingleFast(out f)) { return 20; }
        r.CqAverage = f;
        if (!reader.TryReadUnsignedFast((ulong)OccupancyLevel.High, out u)) { return 21; }
        r.CqLevel = (OccupancyLevel)u;
        if (!reader.TryReadUnsignedFast(uint.MaxValue, out u)) { return 22; }
        r.LatencyP50Nanos = (uint)u;
        if (!reader.TryReadUnsignedFast(uint.MaxValue, out u)) { return 23; }
        r.LatencyP99Nanos = (uint)u;
        if (!reader.TryReadUnsignedFast(uint.MaxValue, out u)) { return 24; }
        r.LatencyP999Nanos = (uint)u;
        if (!reader.TryReadUnsignedFast((ulong)FlowRecordKind.Connection, out u)) { return 25; }
        r.Kind = (FlowRecordKind)u;
        if (!reader.TryReadSingleFast(out f)) { return 26; }
        r.ReadBytesRate = f;
        if (!reader.TryReadSingleFast(out f)) { return 27; }
        r.WriteBytesRate = f;
        return FieldCount;
    }

    private static void ReadField(ref MessagePackReader reader, ref FlowRecord record, int key, DecodeStatistics? stats)
    {
        switch (key)
        {
            case 0: record.FlowId = reader.ReadUInt64(); break;
            case 1: record.Application = new AppId(reader.ReadUInt32()); break;
            case 2: record.Source = ReadAddress(ref reader); break;
            case 3: record.Destination = ReadAddress(ref reader); break;
            case 4: record.SourcePort = reader.ReadUInt16(); break;
            case 5: record.DestinationPort = reader.ReadUInt16(); break;
            case 6: record.Protocol = reader.ReadByte(); break;
            case 7: record.ReadRate = reader.ReadSingle(); break;
            case 8: record.WriteRate = reader.ReadSingle(); break;
            case 9: record.ReadRateWindow = reader.ReadSingle(); break;
            case 10: record.WriteRateWindow = reader.ReadSingle(); break;
            case 11: record.ReadWriteRatio = reader.ReadSingle(); break;
            case 12: record.SharedMemorySize = reader.ReadUInt64(); break;
            case 13: record.CpuNanosPerSecond = reader.ReadUInt64(); break;
            case 14: record.PacketRate = reader.ReadSingle(); break;
            case 15: record.BitRate = reader.ReadSingle(); break;
            case 16: record.SqDepth = reader.ReadUInt32(); break;
            case 17: record.SqAverage = reader.ReadSingle(); break;
            case 18: record.SqLevel = ReadLevel(ref reader); break;
            case 19: record.CqDepth = reader.ReadUInt32(); break;
            case 20: record.CqAverage = reader.ReadSingle(); break;
            case 21: record.CqLevel = ReadLevel(ref reader); break;
            case 22: record.LatencyP50Nanos = reader.ReadUInt32(); break;
            case 23: record.LatencyP99Nanos = reader.ReadUInt32(); break;
            case 24: record.LatencyP999Nanos = reader.ReadUInt32(); break;
            case 25: record.Kind = ReadKind(ref reader); break;
            case 26: record.ReadBytesRate = reader.ReadSingle(); break;
            case 27: record.WriteBytesRate = reader.ReadSingle(); break;
            default: MapKey.SkipUnknown(ref reader, stats); break;
        }
    }

    internal static FlowAddress ReadAddress(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        if (reader.TryReadBytesSpan(out var span))
        {
            if (span.Length is not (4 or 16))
            {
                throw new MessagePackSerializationException("address must be bin 4 (IPv4) or bin 16 (IPv6)", offset);
            }

            return FlowAddress.FromBytes(span);
        }

        var bytes = reader.ReadBytes();
        if (bytes is not { } seq || (seq.Length != 4 && seq.Length != 16))
        {
            throw new MessagePackSerializationException("address must be bin 4 (IPv4) or bin 16 (IPv6)", offset);
        }

        Span<byte> buffer = stackalloc byte[16];
        seq.CopyTo(buffer);
        return FlowAddress.FromBytes(buffer[..(int)seq.Length]);
    }

    private static FlowRecordKind ReadKind(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        byte value = reader.ReadByte();
        if (value > (byte)FlowRecordKind.Connection)
        {
            throw new MessagePackSerializationException($"flow record kind {value} is not 0 (application) or 1 (connection)", offset);
        }

        return (FlowRecordKind)value;
    }

    internal static OccupancyLevel ReadLevel(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        byte value = reader.ReadByte();
        if (value > (byte)OccupancyLevel.High)
        {
            throw new MessagePackSerializationException($"occupancy level {value} is not 0 (low), 1 (medium) or 2 (high)", offset);
        }

        return (OccupancyLevel)value;
    }
}
