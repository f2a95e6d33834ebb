using System.Buffers;
using System.Diagnostics;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Contracts.Tests.MessagePack;

namespace Offload.Contracts.Tests.Messages;

/// <summary>DatapathStats (51): round trip, unknown keys, and python3-msgpack as an independent oracle in both directions.</summary>
public sealed class DatapathStatsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dpstats-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static DatapathStats Sample()
    {
        var m = new DatapathStats
        {
            TimestampUnixNanos = 1_790_000_000_123_456_789,
            PeriodMilliseconds = 1000,
            UpcallsSent = 10,
            UpcallsDropped = 2,
            PacketsHeld = 12,
            UpcallsTimedOut = 1,
            ControllerPackets = 3,
            FlowCount = 200_000,
            ExactMatchHits = ulong.MaxValue,
            MegaflowHits = 5,
            Misses = 12,
            FlowsEvicted = 7,
            FlowsExpired = 8,
            CongestionMarked = 40,
            RateAdvertised = 41,
            RateNotAdvertised = 42,
        };
        m.Ports.Add(new DatapathPortEntry { Port = 1, Name = "stream:unix:/run/p1.sock", RxPackets = 100, RxBytes = 6400, TxPackets = 90, TxBytes = 5760, TxDropped = 4, Mtu = 9000 });
        m.Ports.Add(new DatapathPortEntry { Port = 65534, Name = "tap0", RxPackets = 1 });
        m.Drops.Add(new DropCountEntry(DatapathDropCode.UpcallLimit, 2));
        m.Drops.Add(new DropCountEntry(5, 9));
        return m;
    }

    private static DatapathStats Decode(byte[] bytes) =>
        Assert.IsType<DatapathStats>(MessageCodec.Decode(MessageType.DatapathStats, new ReadOnlySequence<byte>(bytes)));

    private static void AssertEqual(DatapathStats expected, DatapathStats actual)
    {
        Assert.Equal(
            (expected.TimestampUnixNanos, expected.PeriodMilliseconds, expected.UpcallsSent, expected.UpcallsDropped, expected.PacketsHeld, expected.UpcallsTimedOut, expected.ControllerPackets),
            (actual.TimestampUnixNanos, actual.PeriodMilliseconds, actual.UpcallsSent, actual.UpcallsDropped, actual.PacketsHeld, actual.UpcallsTimedOut, actual.ControllerPackets));
        Assert.Equal(
            (expected.FlowCount, expected.ExactMatchHits, expected.MegaflowHits, expected.Misses, expected.FlowsEvicted, expected.FlowsExpired),
            (actual.FlowCount, actual.ExactMatchHits, actual.MegaflowHits, actual.Misses, actual.FlowsEvicted, actual.FlowsExpired));
        Assert.Equal((expected.CongestionMarked, expected.RateAdvertised), (actual.CongestionMarked, actual.RateAdvertised));
        Assert.Equal(expected.Ports, actual.Ports);
        Assert.Equal(expected.Drops, actual.Drops);
    }

    [Fact]
    public void Decode_Encoded_RoundTripsEveryField()
    {
        var m = Sample();

        AssertEqual(m, Decode(MessageCodec.Encode(m)));
    }

    [Fact]
    public void Decode_UnknownKeyAndExtraEntryField_SkippedAndCounted()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(3);
        w.Write(9);
        w.Write(42UL);
        w.Write(99); // unknown key
        w.Write("future");
        w.Write(2);
        w.WriteArrayHeader(1);
        w.WriteArrayHeader(9); // one field more than this version knows
        w.Write(3); w.Write("p3"); w.Write(1); w.Write(2); w.Write(3); w.Write(4); w.Write(5); w.Write(1500); w.Write(6);
        w.Flush();
        var stats = new DecodeStatistics();

        var m = Assert.IsType<DatapathStats>(MessageCodec.Decode(MessageType.DatapathStats, new ReadOnlySequence<byte>(buffer.WrittenMemory), stats: stats));

        Assert.Equal(42UL, m.FlowCount);
        Assert.Equal(3U, Assert.Single(m.Ports).Port);
        Assert.Equal(5UL, m.Ports[0].TxDropped);
        Assert.Equal(1500U, m.Ports[0].Mtu);
        Assert.True(stats.UnknownKeys >= 2, $"unknown keys counted: {stats.UnknownKeys}");
    }

    [Fact]
    public void Encode_ReadByPythonMsgpack_SameValues()
    {
        PythonMsgpack.RequireInstalled();
        var file = Path.Combine(_directory, "stats.bin");
        File.WriteAllBytes(file, MessageCodec.Encode(Sample()));

        var output = RunPython(
            "import msgpack,sys\n" +
            "m = msgpack.unpackb(open(sys.argv[1],'rb').read(), strict_map_key=False)\n" +
            "print(m[0], m[1], m[4], m[9], m[10], len(m[2]), m[2][0][1], m[2][0][6], m[2][0][7], m[2][1][0], m[3][0][0], m[3][0][1], m[15], m[16], m[17], sorted(m.keys()) == list(range(18)))\n",
            file);

        Assert.Equal($"1790000000123456789 1000 10 200000 {ulong.MaxValue} 2 stream:unix:/run/p1.sock 4 9000 65534 33 2 40 41 42 True", output.Trim());
    }

    [Fact]
    public void Decode_WrittenByPythonMsgpack_SameValues()
    {
        PythonMsgpack.RequireInstalled();
        var file = Path.Combine(_directory, "from-python.bin");
        RunPython(
            "import msgpack,sys\n" +
            "m = {0: 5, 1: 250, 2: [[7, 'afpacket:eth1', 1, 64, 2, 128, 0]], 3: [[37, 3]], 4: 1, 5: 0, 6: 1, 7: 0, 8: 0, 9: 17, 10: 2**64-1, 11: 4, 12: 1, 13: 0, 14: 0, 15: 6, 16: 9, 77: [1, 2]}\n" +
            "open(sys.argv[1],'wb').write(msgpack.packb(m))\n",
            file);

        var m = Decode(File.ReadAllBytes(file));

        Assert.Equal((5L, 250U, 17UL, ulong.MaxValue, 4UL), (m.TimestampUnixNanos, m.PeriodMilliseconds, m.FlowCount, m.ExactMatchHits, m.MegaflowHits));
        Assert.Equal(new DatapathPortEntry { Port = 7, Name = "afpacket:eth1", RxPackets = 1, RxBytes = 64, TxPackets = 2, TxBytes = 128 }, Assert.Single(m.Ports)); // no MTU: an older sender, 0
        Assert.Equal(new DropCountEntry(DatapathDropCode.QueueFull, 3), Assert.Single(m.Drops));
        Assert.Equal((6UL, 9UL, 0UL), (m.CongestionMarked, m.RateAdvertised, m.RateNotAdvertised)); // key 17 absent: an older sender
    }

    [Fact]
    public void Decode_TooManyPorts_RejectedWithTypedException()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(1);
        w.Write(2);
        w.WriteArrayHeader(DatapathStats.MaxPorts + 1);
        w.Flush();

        Assert.Throws<MessagePackSerializationException>(() => MessageCodec.Decode(MessageType.DatapathStats, new ReadOnlySequence<byte>(buffer.WrittenMemory)));
    }

    [Theory]
    [InlineData(5, "malformed")]
    [InlineData(DatapathDropCode.NoRoute, "no_route")]
    [InlineData(DatapathDropCode.Budget, "budget")]
    [InlineData(200, "other")]
    public void Name_Code_StableName(byte code, string expected) => Assert.Equal(expected, DatapathDropCode.Name(code));

    private static string RunPython(string script, string argument)
    {
        var start = new ProcessStartInfo(PythonMsgpack.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "python3 did not finish");
        Assert.True(process.ExitCode == 0, error);
        return output;
    }
}
