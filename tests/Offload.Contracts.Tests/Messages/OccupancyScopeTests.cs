using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Contracts.Tests.MessagePack;

namespace Offload.Contracts.Tests.Messages;

/// <summary>QueueOccupancy key 4 (scope): absent for per-queue-pair messages (the bytes an older peer writes and reads),
/// present for per-application ones; python3-msgpack as the oracle.</summary>
public sealed class OccupancyScopeTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("offload-scope-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData(OccupancyScope.QueuePair, "4 None 2")]
    [InlineData(OccupancyScope.Application, "5 1 65535")]
    public void Write_PythonSeesScopeKeyOnlyForPerApplicationMessages(OccupancyScope scope, string expected)
    {
        PythonMsgpack.RequireInstalled();
        var message = new QueueOccupancy { TimestampUnixNanos = 1, Trigger = OccupancyTrigger.Periodic, Scope = scope };
        message.Entries.Add(new QueueOccupancyEntry
        {
            Application = new AppId(3),
            Queue = scope == OccupancyScope.Application ? QueueId.AllQueues : new QueueId(2),
            SqDepth = 7,
        });
        string path = Path.Combine(_directory.FullName, "occ.msgpack");
        File.WriteAllBytes(path, MessageCodec.Encode(message));
        const string Code = """
            import msgpack, sys
            m = msgpack.unpackb(open(sys.argv[1], 'rb').read(), strict_map_key=False)
            print(len(m), m.get(4), m[2][0][1])
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);

        Assert.True(exit == 0, output);
        Assert.Equal(expected, output.Trim());
        var back = Assert.IsType<QueueOccupancy>(MessageCodec.Decode(MessageType.QueueOccupancy, new System.Buffers.ReadOnlySequence<byte>(File.ReadAllBytes(path))));
        Assert.Equal(scope, back.Scope);
        Assert.Equal(message.Entries, back.Entries);
        Assert.Equal(scope == OccupancyScope.Application ? "all" : "q2", back.Entries[0].Queue.ToString());
    }

    /// <summary>Entry key 10, the SQ window average: python3-msgpack reads 11 positional fields with it last, and an
    /// entry from an older sender (10 fields) reads as 0.</summary>
    [Fact]
    public void Entry_WindowAverage_KeyTenForPythonAndZeroFromAnOlderSender()
    {
        PythonMsgpack.RequireInstalled();
        var message = new QueueOccupancy { TimestampUnixNanos = 1, Trigger = OccupancyTrigger.Periodic };
        message.Entries.Add(new QueueOccupancyEntry { Application = new AppId(3), Queue = new QueueId(2), SqAverage = 0.25f, SqWindowAverage = 0.75f });
        string path = Path.Combine(_directory.FullName, "occ-window.msgpack");
        File.WriteAllBytes(path, MessageCodec.Encode(message));
        const string Code = """
            import msgpack, sys
            m = msgpack.unpackb(open(sys.argv[1], 'rb').read(), strict_map_key=False)
            e = m[2][0]
            print(len(e), e[4], e[10])
            e.pop()
            m[2][0] = e
            open(sys.argv[1] + '.old', 'wb').write(msgpack.packb(m, use_single_float=True))
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);

        Assert.True(exit == 0, output);
        Assert.Equal("11 0.25 0.75", output.Trim());
        var old = Assert.IsType<QueueOccupancy>(MessageCodec.Decode(MessageType.QueueOccupancy, new System.Buffers.ReadOnlySequence<byte>(File.ReadAllBytes(path + ".old"))));
        Assert.Equal(0.25f, old.Entries[0].SqAverage);
        Assert.Equal(0f, old.Entries[0].SqWindowAverage);
    }
}
