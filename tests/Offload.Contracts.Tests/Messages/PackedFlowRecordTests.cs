using System.Buffers;
using System.Net;
using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Contracts.Tests.MessagePack;

namespace Offload.Contracts.Tests.Messages;

/// <summary>FlowMetadataBatch key 6 (connection records in the fixed <see cref="PackedFlowRecord"/> layout): round trip,
/// what an older decoder sees, hostile input, and python3-msgpack + struct as the oracle both ways.</summary>
public sealed class PackedFlowRecordTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("offload-packed-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Write_PackedConnections_DecodedAfterApplicationRecordsFieldForField()
    {
        var batch = Batch(Connection(1), Connection(2, ipv6: true));

        var back = Decode(MessageCodec.Encode(batch));

        Assert.Equal(3, back.Flows.Count);
        Assert.Equal(FlowRecordKind.Application, back.Flows[0].Kind);
        Assert.Equal(Connection(1), back.Flows[1]);
        Assert.Equal(Connection(2, ipv6: true), back.Flows[2]);
        Assert.True(back.PackedConnections.IsEmpty);
    }

    [Fact]
    public void Read_OlderDecoderSkippingKey6_SeesApplicationRecordsAndCountsTheKey()
    {
        var bytes = MessageCodec.Encode(Batch(Connection(1)));
        // An older decoder: the same reader with key 6 unknown. Emulate by renumbering key 6 to an unused key (9).
        int at = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x06, 0x92, 0xcc, PackedFlowRecord.Size]); // key 6, [uint8 132, bin]
        Assert.True(at > 0);
        bytes[at] = 0x09;
        var stats = new DecodeStatistics();

        var back = Decode(bytes, stats);

        Assert.Equal(FlowRecordKind.Application, Assert.Single(back.Flows).Kind);
        Assert.Equal(1, stats.UnknownKeys);
    }

    [Theory]
    [InlineData(131, 131, "record size 131")]
    [InlineData(132, 133, "not a whole number")]
    [InlineData(4097, 4097, "record size 4097")]
    public void Read_BadSizeOrLength_TypedError(int declaredSize, int binLength, string expected)
    {
        var bytes = Hostile(declaredSize, new byte[binLength]);

        var ex = Assert.Throws<MessagePackSerializationException>(() => Decode(bytes));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LevelOutOfRange_TypedError()
    {
        var record = new byte[PackedFlowRecord.Size];
        PackedFlowRecord.Write(record, Connection(1));
        record[14] = 3;

        var ex = Assert.Throws<MessagePackSerializationException>(() => Decode(Hostile(PackedFlowRecord.Size, record)));
        Assert.Contains("occupancy level", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MoreRecordsThanTheCap_TypedErrorBeforeDecodingThem()
    {
        var ex = Assert.Throws<MessagePackSerializationException>(() => Decode(Hostile(PackedFlowRecord.Size, new byte[(FlowMetadataBatch.MaxFlows + 1) * PackedFlowRecord.Size])));
        Assert.Contains("exceed the cap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LargerRecordsOfANewerSender_KnownPrefixRead()
    {
        const int Newer = PackedFlowRecord.Size + 12;
        var records = new byte[2 * Newer];
        PackedFlowRecord.Write(records, Connection(1));
        PackedFlowRecord.Write(records.AsSpan(Newer), Connection(2));
        records.AsSpan(PackedFlowRecord.Size, 12).Fill(0xEE);

        var back = Decode(Hostile(Newer, records));

        Assert.Equal([Connection(1), Connection(2)], back.Flows);
    }

    [Fact]
    public void Write_PythonStructUnpacksEveryField()
    {
        PythonMsgpack.RequireInstalled();
        string path = Path.Combine(_directory.FullName, "packed.msgpack");
        File.WriteAllBytes(path, MessageCodec.Encode(Batch(Connection(1))));
        const string Code = """
            import msgpack, sys, struct, ipaddress
            m = msgpack.unpackb(open(sys.argv[1], 'rb').read(), strict_map_key=False)
            size, blob = m[6]
            assert len(blob) % size == 0
            r = struct.unpack_from('<QIBBBx16s16sHH9fQQIfIfIII', blob, 0)
            print(size, hex(r[0]), r[1], r[2], r[3], r[4], ipaddress.ip_address(r[5]).ipv4_mapped, ipaddress.ip_address(r[6]).ipv4_mapped, r[7], r[8],
                  ' '.join('%g' % x for x in r[9:18]), r[18], r[19], r[20], '%g' % r[21], r[22], '%g' % r[23], r[24], r[25], r[26], len(m[2]))
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);

        Assert.True(exit == 0, output);
        Assert.Equal("132 0x8000000000000001 4 6 1 2 10.1.0.9 10.1.0.1 51234 4420 1.5 2.5 3 4 0.4 70 9000 4096 8192 123456 5000 9 7.5 3 2.25 20000 80000 160000 1", output.Trim());
    }

    [Fact]
    public void Read_PythonPackedRecords_DecodedAsConnections()
    {
        PythonMsgpack.RequireInstalled();
        string path = Path.Combine(_directory.FullName, "python.msgpack");
        const string Code = """
            import msgpack, sys, struct, ipaddress
            src = ipaddress.ip_address('::ffff:10.1.0.9').packed
            dst = ipaddress.ip_address('fd00::1').packed
            r = struct.pack('<QIBBBx16s16sHH9fQQIfIfIII', (1 << 63) | 77, 4, 6, 2, 0, src, dst, 40000, 4420,
                            1, 2, 3, 4, 0.5, 6, 7, 8, 9, 10, 11, 12, 13.5, 14, 15.5, 16, 17, 18)
            open(sys.argv[1], 'wb').write(msgpack.packb({0: 1, 1: 10000000, 2: [], 3: [], 6: [len(r), r]}, use_bin_type=True))
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);
        Assert.True(exit == 0, output);
        var c = Assert.Single(Decode(File.ReadAllBytes(path)).Flows);

        Assert.Equal((FlowRecordKind.Connection, (1UL << 63) | 77, 4u, "10.1.0.9", "fd00::1", (ushort)40000, (ushort)4420, (byte)6),
            (c.Kind, c.FlowId, c.Application.Value, c.Source.ToString(), c.Destination.ToString(), c.SourcePort, c.DestinationPort, c.Protocol));
        Assert.Equal((OccupancyLevel.High, OccupancyLevel.Low, 1f, 2f, 3f, 4f, 0.5f, 6f, 7f, 8f, 9f),
            (c.SqLevel, c.CqLevel, c.ReadRate, c.WriteRate, c.ReadRateWindow, c.WriteRateWindow, c.ReadWriteRatio, c.PacketRate, c.BitRate, c.ReadBytesRate, c.WriteBytesRate));
        Assert.Equal((10UL, 11UL, 12u, 13.5f, 14u, 15.5f, 16u, 17u, 18u),
            (c.SharedMemorySize, c.CpuNanosPerSecond, c.SqDepth, c.SqAverage, c.CqDepth, c.CqAverage, c.LatencyP50Nanos, c.LatencyP99Nanos, c.LatencyP999Nanos));
    }

    private static FlowMetadataBatch Batch(params FlowRecord[] connections)
    {
        var packed = new byte[connections.Length * PackedFlowRecord.Size];
        for (int i = 0; i < connections.Length; i++)
        {
            PackedFlowRecord.Write(packed.AsSpan(i * PackedFlowRecord.Size), connections[i]);
        }

        var batch = new FlowMetadataBatch { TimestampUnixNanos = 1, PeriodNanos = 10_000_000, PackedConnections = packed };
        batch.Flows.Add(new FlowRecord { FlowId = 4, Application = new AppId(4), ReadRate = 100 });
        return batch;
    }

    /// <summary>A batch whose key 6 is built by hand: [declared size, bin].</summary>
    private static byte[] Hostile(int declaredSize, byte[] bin)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(1);
        writer.Write(6);
        writer.WriteArrayHeader(2);
        writer.Write(declaredSize);
        writer.Write(bin);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static FlowMetadataBatch Decode(byte[] bytes, DecodeStatistics? stats = null) =>
        Assert.IsType<FlowMetadataBatch>(MessageCodec.Decode(MessageType.FlowMetadataBatch, new ReadOnlySequence<byte>(bytes),
            new MessagePackReaderOptions { MaxStringSize = 4 << 20, MaxFrameSize = 4 << 20 }, stats));

    /// <summary>The one-store little-endian path, and a record filled field by field in place (<see
    /// cref="PackedFlowRecord.At"/>, as nic-fw's sampler measures into its buffer, over stale bytes), write exactly the
    /// bytes of the field-by-field path (the one a big-endian CPU takes), for records with every field random, IPv4 and
    /// IPv6; the layout converts back to the same record.</summary>
    [Fact]
    public void Write_StructStore_SameBytesAsFieldByField()
    {
        var random = new Random(11);
        Span<byte> a = stackalloc byte[PackedFlowRecord.Size], b = stackalloc byte[PackedFlowRecord.Size], c = stackalloc byte[PackedFlowRecord.Size];
        for (int i = 0; i < 500; i++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            var r = Connection((ulong)random.NextInt64(), ipv6: i % 2 == 0) with
            {
                Application = new AppId((uint)random.Next()),
                Source = FlowAddress.FromBytes(bytes),
                SourcePort = (ushort)random.Next(65536),
                DestinationPort = (ushort)random.Next(65536),
                Protocol = (byte)random.Next(256),
                SqLevel = (OccupancyLevel)random.Next(3),
                CqLevel = (OccupancyLevel)random.Next(3),
                ReadRate = random.NextSingle() * 1e6f,
                WriteRateWindow = random.NextSingle(),
                BitRate = random.NextSingle() * 1e9f,
                SharedMemorySize = (ulong)random.NextInt64(),
                CpuNanosPerSecond = (ulong)random.NextInt64(),
                SqDepth = (uint)random.Next(),
                CqAverage = random.NextSingle() * 100,
                LatencyP999Nanos = (uint)random.Next(),
            };
            a.Fill(0xAA);
            b.Fill(0x55);
            PackedFlowRecord.Write(a, r);
            PackedFlowRecord.WriteFields(b, r);
            Assert.True(a.SequenceEqual(b), $"record {i}");

            var layout = PackedFlowRecord.ToLayout(r);
            Assert.Equal(r, PackedFlowRecord.ToRecord(layout));
            c.Fill(0x77);
            ref var slot = ref PackedFlowRecord.At(c);
            InPlace(ref slot, layout);
            Assert.True(c.SequenceEqual(b), $"record {i} in place");
        }
    }

    /// <summary>Every field assigned one by one (never the whole struct), as a writer in place does.</summary>
    private static void InPlace(ref PackedFlowRecord.Layout d, in PackedFlowRecord.Layout s)
    {
        (d.FlowId, d.Application, d.Protocol, d.SqLevel, d.CqLevel, d.Reserved) = (s.FlowId, s.Application, s.Protocol, s.SqLevel, s.CqLevel, 0);
        (d.SourceHigh, d.SourceLow, d.DestinationHigh, d.DestinationLow) = (s.SourceHigh, s.SourceLow, s.DestinationHigh, s.DestinationLow);
        (d.SourcePort, d.DestinationPort) = (s.SourcePort, s.DestinationPort);
        (d.ReadRate, d.WriteRate, d.ReadRateWindow, d.WriteRateWindow, d.ReadWriteRatio) = (s.ReadRate, s.WriteRate, s.ReadRateWindow, s.WriteRateWindow, s.ReadWriteRatio);
        (d.PacketRate, d.BitRate, d.ReadBytesRate, d.WriteBytesRate) = (s.PacketRate, s.BitRate, s.ReadBytesRate, s.WriteBytesRate);
        (d.SharedMemorySize, d.CpuNanosPerSecond) = (s.SharedMemorySize, s.CpuNanosPerSecond);
        (d.SqDepth, d.SqAverage, d.CqDepth, d.CqAverage) = (s.SqDepth, s.SqAverage, s.CqDepth, s.CqAverage);
        (d.LatencyP50Nanos, d.LatencyP99Nanos, d.LatencyP999Nanos) = (s.LatencyP50Nanos, s.LatencyP99Nanos, s.LatencyP999Nanos);
    }

    private static FlowRecord Connection(ulong id, bool ipv6 = false) => new()
    {
        FlowId = FlowRecord.ConnectionFlowIdBit | id,
        Application = new AppId(4),
        Source = FlowAddress.FromIPAddress(IPAddress.Parse(ipv6 ? "fd00::9" : "10.1.0.9")),
        Destination = FlowAddress.FromIPAddress(IPAddress.Parse(ipv6 ? "fd00::1" : "10.1.0.1")),
        SourcePort = 51234,
        DestinationPort = 4420,
        Protocol = 6,
        Kind = FlowRecordKind.Connection,
        SqLevel = OccupancyLevel.Medium,
        CqLevel = OccupancyLevel.High,
        ReadRate = 1.5f,
        WriteRate = 2.5f,
        ReadRateWindow = 3,
        WriteRateWindow = 4,
        ReadWriteRatio = 0.4f,
        PacketRate = 70,
        BitRate = 9000,
        ReadBytesRate = 4096,
        WriteBytesRate = 8192,
        SharedMemorySize = 123_456,
        CpuNanosPerSecond = 5000,
        SqDepth = 9,
        SqAverage = 7.5f,
        CqDepth = 3,
        CqAverage = 2.25f,
        LatencyP50Nanos = 20_000,
        LatencyP99Nanos = 80_000,
        LatencyP999Nanos = 160_000,
    };
}
