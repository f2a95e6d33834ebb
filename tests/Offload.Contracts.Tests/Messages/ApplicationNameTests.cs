using System.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Contracts.Tests.MessagePack;

namespace Offload.Contracts.Tests.Messages;

/// <summary>FlowMetadataBatch key 4 (application names): round trip, caps, and python3-msgpack as the oracle.</summary>
public sealed class ApplicationNameTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly Guid HostId = Guid.Parse("11111111-2222-3333-4444-555555555555");
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("offload-appname-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void FlowMetadataBatch_WithNames_RoundTripsNamesAndFlows()
    {
        var batch = Sample();

        var back = Decode(MessageCodec.Encode(batch));

        Assert.Equal(batch.Flows, back.Flows);
        var name = Assert.Single(back.Applications);
        Assert.Equal((new AppId(7), "nqn.2014-08.org.nvmexpress:uuid:tenant-a", HostId), (name.Application, name.HostNqn, name.HostId));
    }

    [Fact]
    public void FlowMetadataBatch_WithoutNames_WritesFourKeysAsBefore()
    {
        var batch = Sample();
        batch.Applications.Clear();

        var bytes = MessageCodec.Encode(batch);

        Assert.Equal(0x84, bytes[0]); // fixmap of 4: older readers see the same message
        Assert.Empty(Decode(bytes).Applications);
    }

    [Fact]
    public void Read_HostNqnOverSpecLimit_Rejected()
    {
        var batch = Sample();
        batch.Applications[0] = batch.Applications[0] with { HostNqn = new string('n', ApplicationName.MaxHostNqnSize + 1) };

        var bytes = MessageCodec.Encode(batch);

        Assert.Throws<MessagePackSerializationException>(() => Decode(bytes));
    }

    [Fact]
    public void Write_PythonMsgpackReadsNamesByPosition()
    {
        PythonMsgpack.RequireInstalled();
        string path = Path.Combine(_directory.FullName, "batch.msgpack");
        File.WriteAllBytes(path, MessageCodec.Encode(Sample()));
        const string Code = """
            import msgpack, sys, uuid
            m = msgpack.unpackb(open(sys.argv[1], 'rb').read(), strict_map_key=False)
            for app, nqn, hid in m[4]:
                print(app, nqn, uuid.UUID(bytes=hid), len(m[2]))
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);

        Assert.True(exit == 0, output);
        Assert.Equal($"7 nqn.2014-08.org.nvmexpress:uuid:tenant-a {HostId} 1", output.Trim());
    }

    [Fact]
    public void Read_BatchPackedByPythonWithFutureFields_NamesDecodedUnknownSkipped()
    {
        PythonMsgpack.RequireInstalled();
        string path = Path.Combine(_directory.FullName, "python.msgpack");
        const string Code = """
            import msgpack, sys, uuid
            hid = uuid.UUID('11111111-2222-3333-4444-555555555555').bytes
            m = {0: 5, 1: 10000000, 2: [], 3: [], 4: [[9, 'nqn.2014-08.org.nvmexpress:uuid:b', hid, 'future'], [10, 'nqn.x', hid]], 99: 'later'}
            open(sys.argv[1], 'wb').write(msgpack.packb(m))
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);
        Assert.True(exit == 0, output);
        var stats = new DecodeStatistics();
        var back = Assert.IsType<FlowMetadataBatch>(MessageCodec.Decode(MessageType.FlowMetadataBatch, new ReadOnlySequence<byte>(File.ReadAllBytes(path)), stats: stats));

        Assert.Equal(2, back.Applications.Count);
        Assert.Equal((new AppId(9), "nqn.2014-08.org.nvmexpress:uuid:b", HostId), (back.Applications[0].Application, back.Applications[0].HostNqn, back.Applications[0].HostId));
        Assert.Equal("nqn.x", back.Applications[1].HostNqn);
        Assert.True(stats.UnknownKeys >= 2);
    }

    private static FlowMetadataBatch Sample()
    {
        var batch = new FlowMetadataBatch { TimestampUnixNanos = 1, PeriodNanos = 10_000_000 };
        batch.Flows.Add(MessageRoundTripTests.SampleFlow(1));
        batch.Applications.Add(new ApplicationName { Application = new AppId(7), HostNqn = "nqn.2014-08.org.nvmexpress:uuid:tenant-a", HostId = HostId });
        return batch;
    }

    private static FlowMetadataBatch Decode(byte[] bytes) =>
        Assert.IsType<FlowMetadataBatch>(MessageCodec.Decode(MessageType.FlowMetadataBatch, new ReadOnlySequence<byte>(bytes)));
}
