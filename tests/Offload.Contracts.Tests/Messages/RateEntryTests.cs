using System.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Contracts.Tests.MessagePack;

namespace Offload.Contracts.Tests.Messages;

/// <summary>RateEntry's optional fields 5 (ceiling IOPS) and 6 (bucket depth µs), with python3-msgpack as the oracle.</summary>
public sealed class RateEntryTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("offload-rate-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Write_PythonMsgpackReadsCeilingAndBurstByPosition()
    {
        PythonMsgpack.RequireInstalled();
        var update = new RateUpdate { Epoch = 9, IsFull = true };
        update.Entries.Add(new RateEntry { Application = new AppId(3), IopsLimit = 3920, CeilingIops = 4000, BurstMicros = 50_000 });
        string path = Path.Combine(_directory.FullName, "rate.msgpack");
        File.WriteAllBytes(path, MessageCodec.Encode(update));
        const string Code = """
            import msgpack, sys
            m = msgpack.unpackb(open(sys.argv[1], 'rb').read(), strict_map_key=False)
            e = m[1][0]
            print(len(e), e[0], e[1], e[5], e[6])
            """;

        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);

        Assert.True(exit == 0, output);
        Assert.Equal("7 3 3920 4000 50000", output.Trim());
    }

    [Fact]
    public void Read_OlderPeerFiveFields_CeilingAndBurstZero()
    {
        PythonMsgpack.RequireInstalled();
        string path = Path.Combine(_directory.FullName, "old.msgpack");
        const string Code = """
            import msgpack, sys
            open(sys.argv[1], 'wb').write(msgpack.packb([3, 200, 0, False, 200]))
            """;
        (int exit, string output) = PythonMsgpack.RunCode(Code, Timeout, path);
        Assert.True(exit == 0, output);

        var reader = new Offload.Contracts.MessagePack.MessagePackReader(new ReadOnlySequence<byte>(File.ReadAllBytes(path)));
        RateEntry.Read(ref reader, out var entry);

        Assert.Equal((200ul, 0ul, 0u), (entry.IopsLimit, entry.CeilingIops, entry.BurstMicros));
        Assert.True(reader.End);
    }
}
