using System.Buffers;
using System.Net;
using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Contracts.Tests.MessagePack;

namespace Offload.Contracts.Tests.Messages;

/// <summary>FlowRecord keys 25-27 (record kind, completed read/write bytes/s) and FlowMetadataBatch key 5 (part):
/// round trip, old-peer compatibility, and python3-msgpack as the oracle.</summary>
public sealed class FlowRecordKindTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("offload-flowkind-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Write_PythonMsgpackReadsKindBytesRatesAndPart()
    {
        PythonMsgpack.RequireInstalled();
        string path = Path.Combine(_directory.FullName, "batch.msgpack");
        var batch = new FlowMetadataBatch { TimestampUnixNanos = 5, PeriodNanos = 10_000_000, Part = 2 };
        batch.Flows.Add(Connection());
        File.WriteAllBytes(path, MessageCodec.Encode(batch));
        const string Code = """
            import msgpack, sys, ipaddress
            m = msgpack.unpackb(open(sys.argv[1], 'rb').read(), strict_map_key=False)
            f = m[2][0]
            print(len(f), hex(f[0]), f[1], ipaddress.ip_address(f[2]), f[4], ipaddress.ip_address(f[3]), f[5], f[6], f[25], f[26], f[27], m[5])
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);

        Assert.True(exit == 0, output);
        Assert.Equal("28 0x8000000000000003 4 10.1.0.9 51234 10.1.0.1 4420 6 1 409600.0 819200.0 2", output.Trim());
    }

    [Fact]
    public void Read_PythonPackedOldAndNewRecords_OldIsApplicationNewIsConnection()
    {
        PythonMsgpack.RequireInstalled();
        string path = Path.Combine(_directory.FullName, "python.msgpack");
        const string Code = """
            import msgpack, sys, struct
            def f32(x): return struct.unpack('>f', struct.pack('>f', x))[0]
            old = [4, 4, bytes(16), bytes(16), 0, 0, 0] + [f32(1.0)] * 5 + [0, 0, f32(1.0), f32(1.0), 0, f32(0.0), 0, 0, f32(0.0), 0, 1, 2, 3]
            new = [(1 << 63) | 7, 4, bytes([10, 1, 0, 9]), bytes([10, 1, 0, 1]), 51234, 4420, 6] + [f32(1.0)] * 5 + [0, 0, f32(1.0), f32(1.0), 0, f32(0.0), 0, 0, f32(0.0), 0, 1, 2, 3, 1, f32(4096.0), f32(8192.0), 'newer field']
            open(sys.argv[1], 'wb').write(msgpack.packb({0: 1, 1: 10000000, 2: [old, new], 3: [], 5: 1}, use_single_float=True))
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);
        Assert.True(exit == 0, output);
        var stats = new DecodeStatistics();
        var back = Assert.IsType<FlowMetadataBatch>(MessageCodec.Decode(MessageType.FlowMetadataBatch, new ReadOnlySequence<byte>(File.ReadAllBytes(path)), stats: stats));

        Assert.Equal(1, back.Part);
        Assert.Equal((FlowRecordKind.Application, 0f, 0f), (back.Flows[0].Kind, back.Flows[0].ReadBytesRate, back.Flows[0].WriteBytesRate));
        var c = back.Flows[1];
        Assert.Equal((FlowRecordKind.Connection, (1UL << 63) | 7, "10.1.0.9", (ushort)51234, "10.1.0.1", (ushort)4420, 4096f, 8192f),
            (c.Kind, c.FlowId, c.Source.ToString(), c.SourcePort, c.Destination.ToString(), c.DestinationPort, c.ReadBytesRate, c.WriteBytesRate));
        Assert.Equal(1, stats.UnknownKeys);
    }

    [Fact]
    public void Read_KindOutOfRange_TypedError()
    {
        var flow = Connection();
        flow.Kind = (FlowRecordKind)9;
        var batch = new FlowMetadataBatch();
        batch.Flows.Add(flow);

        var bytes = MessageCodec.Encode(batch);

        var ex = Assert.Throws<MessagePackSerializationException>(() => MessageCodec.Decode(MessageType.FlowMetadataBatch, new ReadOnlySequence<byte>(bytes)));
        Assert.Contains("kind 9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FirstPart_KeepsFourKeys()
    {
        var batch = new FlowMetadataBatch { TimestampUnixNanos = 1, PeriodNanos = 2 };
        batch.Flows.Add(Connection());

        var bytes = MessageCodec.Encode(batch);

        Assert.Equal(0x84, bytes[0]);
        var back = Assert.IsType<FlowMetadataBatch>(MessageCodec.Decode(MessageType.FlowMetadataBatch, new ReadOnlySequence<byte>(bytes)));
        Assert.Equal(0, back.Part);
        Assert.Equal(batch.Flows, back.Flows);
    }

    private static FlowRecord Connection() => new()
    {
        FlowId = FlowRecord.ConnectionFlowIdBit | 3,
        Application = new AppId(4),
        Source = FlowAddress.FromIPAddress(IPAddress.Parse("10.1.0.9")),
        Destination = FlowAddress.FromIPAddress(IPAddress.Parse("10.1.0.1")),
        SourcePort = 51234,
        DestinationPort = 4420,
        Protocol = 6,
        Kind = FlowRecordKind.Connection,
        ReadBytesRate = 409_600f,
        WriteBytesRate = 819_200f,
    };
}
