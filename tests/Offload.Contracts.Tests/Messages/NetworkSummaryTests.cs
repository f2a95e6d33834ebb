using System.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Contracts.Tests.MessagePack;

namespace Offload.Contracts.Tests.Messages;

/// <summary>NetworkSummary (80): round trip, every prefix, caps, and python3-msgpack as the oracle both ways.</summary>
public sealed class NetworkSummaryTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("offload-netsum-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void NetworkSummary_RoundTrip_EveryFieldEqual()
    {
        var summary = Sample();

        var back = Decode(MessageCodec.Encode(summary));

        Assert.Equal("bf3-node-a", back.Node);
        Assert.Equal((summary.TimestampUnixNanos, summary.PeriodNanos), (back.TimestampUnixNanos, back.PeriodNanos));
        Assert.Equal(summary.Demand, back.Demand);
        Assert.Equal(summary.Totals, back.Totals);
    }

    [Fact]
    public void Decode_EveryStrictPrefix_ThrowsSerializationExceptionOnly()
    {
        var bytes = MessageCodec.Encode(Sample());
        for (int n = 0; n < bytes.Length; n++)
        {
            Assert.Throws<MessagePackSerializationException>(() => Decode(bytes[..n]));
        }
    }

    [Fact]
    public void Decode_MoreEntriesThanCap_Rejected()
    {
        var summary = Sample();
        for (int i = 0; i < NetworkSummary.MaxEntries; i++)
        {
            summary.Demand.Add(new DemandEntry { Application = new AppId((uint)i), HostNqn = "" });
        }

        Assert.Throws<MessagePackSerializationException>(() => Decode(MessageCodec.Encode(summary)));
    }

    [Fact]
    public void Write_PythonMsgpackReadsDemandByPosition()
    {
        PythonMsgpack.RequireInstalled();
        string path = Path.Combine(_directory.FullName, "summary.msgpack");
        File.WriteAllBytes(path, MessageCodec.Encode(Sample()));
        const string Code = """
            import msgpack, sys
            m = msgpack.unpackb(open(sys.argv[1], 'rb').read(), strict_map_key=False)
            print(m[0], m[2], ';'.join('%d,%s,%.1f,%.1f,%d,%d' % (d[0], d[1], d[2], d[3], d[5], d[6]) for d in m[3]), m[4][0])
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);

        Assert.True(exit == 0, output);
        Assert.Equal("bf3-node-a 100000000 3,nqn.a,1500.5,20.0,4096,2;4,,7.0,0.0,0,0 12", output.Trim());
    }

    [Fact]
    public void Read_PackedByPythonWithFutureFields_DecodedUnknownSkipped()
    {
        PythonMsgpack.RequireInstalled();
        string path = Path.Combine(_directory.FullName, "python.msgpack");
        const string Code = """
            import msgpack, sys
            m = {0: 'bf3-node-b', 1: 7, 2: 100000000, 3: [[9, 'nqn.b', 10.0, 5.0, 800.0, 65536, 1, 'future']], 4: [1, 2, 3, 4, 5.0, 6, 7, 8], 77: {'x': 1}}
            open(sys.argv[1], 'wb').write(msgpack.packb(m, use_single_float=True))
            """;
        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);
        Assert.True(exit == 0, output);
        var stats = new DecodeStatistics();

        var back = Assert.IsType<NetworkSummary>(MessageCodec.Decode(MessageType.NetworkSummary, new ReadOnlySequence<byte>(File.ReadAllBytes(path)), stats: stats));

        Assert.Equal("bf3-node-b", back.Node);
        var d = Assert.Single(back.Demand);
        Assert.Equal((new AppId(9), "nqn.b", 10f, 5f, 800f, 65536UL, OccupancyLevel.Medium), (d.Application, d.HostNqn, d.ReadRate, d.WriteRate, d.BitRate, d.SharedMemorySize, d.SqLevel));
        Assert.Equal(8UL, back.Totals.MemorySize);
        Assert.Equal(2, stats.UnknownKeys);
    }

    private static NetworkSummary Sample()
    {
        var s = new NetworkSummary { Node = "bf3-node-a", TimestampUnixNanos = 1_700_000_000_000_000_000, PeriodNanos = 100_000_000 };
        s.Demand.Add(new DemandEntry { Application = new AppId(3), HostNqn = "nqn.a", ReadRate = 1500.5f, WriteRate = 20f, BitRate = 9e6f, SharedMemorySize = 4096, SqLevel = OccupancyLevel.High });
        s.Demand.Add(new DemandEntry { Application = new AppId(4), HostNqn = "", ReadRate = 7f });
        s.Totals = new NodeTotals { SqDepth = 12, SqCapacity = 256, MemorySize = 1 << 20 };
        return s;
    }

    private static NetworkSummary Decode(byte[] bytes) =>
        Assert.IsType<NetworkSummary>(MessageCodec.Decode(MessageType.NetworkSummary, new ReadOnlySequence<byte>(bytes)));
}
