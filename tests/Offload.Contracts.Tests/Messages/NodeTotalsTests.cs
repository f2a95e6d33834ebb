using System.Buffers;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Contracts.Tests.MessagePack;
using Offload.Testing.Processes;

namespace Offload.Contracts.Tests.Messages;

/// <summary>NodeTotals (the positional array in QueueOccupancy, FlowMetadataBatch and NetworkSummary): position 8, the
/// telemetry thread's own CPU, with python3-msgpack as the oracle; an older sender's 8 positions and a newer one's 10
/// both decode.</summary>
public sealed class NodeTotalsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void RoundTrip_EveryPositionIncludingTelemetryCpu()
    {
        var back = Decode(MessageCodec.Encode(Report()));

        Assert.Equal(Report().Totals, back.Totals);
        Assert.Equal(41_000_000UL, back.Totals.TelemetryCpuNanosPerSecond);
    }

    [Fact]
    public void Write_PythonMsgpackReadsNinePositions_TelemetryCpuAtEight()
    {
        PythonMsgpack.RequireInstalled();
        string path = _directory.File("occupancy.msgpack");
        File.WriteAllBytes(path, MessageCodec.Encode(Report()));
        const string Code = """
            import msgpack, sys
            m = msgpack.unpackb(open(sys.argv[1], 'rb').read(), strict_map_key=False)
            t = m[3]
            print(len(t), t[0], t[5], t[7], t[8])
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);

        Assert.True(exit == 0, output);
        Assert.Equal("9 7 250000000 1048576 41000000", output.Trim());
    }

    /// <summary>python3-msgpack cuts the totals to an older sender's 8 positions, or adds a 10th a newer one might send:
    /// the 8 read the same with no telemetry CPU (0), the 10 read the same with the unknown position skipped.</summary>
    [Theory]
    [InlineData(8)]
    [InlineData(10)]
    public void Read_TotalsOfOtherLengthsFromPython_DecodedPositionally(int positions)
    {
        PythonMsgpack.RequireInstalled();
        string path = _directory.File("occupancy.msgpack");
        File.WriteAllBytes(path, MessageCodec.Encode(Report()));
        const string Code = """
            import msgpack, sys
            m = msgpack.unpackb(open(sys.argv[1], 'rb').read(), strict_map_key=False)
            n = int(sys.argv[2])
            m[3] = (m[3] + ['future'])[:n]
            open(sys.argv[1], 'wb').write(msgpack.packb(m, use_single_float=True))
            """;
        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path, positions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(exit == 0, output);
        var stats = new DecodeStatistics();

        var back = Assert.IsType<QueueOccupancy>(MessageCodec.Decode(MessageType.QueueOccupancy, new ReadOnlySequence<byte>(File.ReadAllBytes(path)), stats: stats));

        var expected = Report().Totals;
        if (positions == 8)
        {
            expected.TelemetryCpuNanosPerSecond = 0;
        }

        Assert.Equal(expected, back.Totals);
        Assert.Equal(positions == 10 ? 1 : 0, stats.UnknownKeys);
    }

    private static QueueOccupancy Report()
    {
        var report = new QueueOccupancy { TimestampUnixNanos = 1_700_000_000_000_000_000, Trigger = OccupancyTrigger.Periodic };
        report.Totals = new NodeTotals
        {
            SqDepth = 7, SqCapacity = 256, CqDepth = 3, CqCapacity = 256, PacketRate = 1500.5f,
            CpuNanosPerSecond = 250_000_000, MemoryUsedSize = 4096, MemorySize = 1 << 20, TelemetryCpuNanosPerSecond = 41_000_000,
        };
        return report;
    }

    private static QueueOccupancy Decode(byte[] bytes) =>
        Assert.IsType<QueueOccupancy>(MessageCodec.Decode(MessageType.QueueOccupancy, new ReadOnlySequence<byte>(bytes)));
}
