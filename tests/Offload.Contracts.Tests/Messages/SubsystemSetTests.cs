using System.Buffers;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Contracts.Tests.MessagePack;

namespace Offload.Contracts.Tests.Messages;

/// <summary>SubsystemSet (64) and SubsystemRemove (65): round trip, python3-msgpack as an independent oracle, caps.</summary>
public sealed class SubsystemSetTests
{
    private static readonly TimeSpan PythonTimeout = TimeSpan.FromSeconds(60);

    private static SubsystemSet Sample()
    {
        var set = new SubsystemSet { Nqn = "nqn.2026-01.io.offload:vol1", AllowAnyHost = false, Hosts = ["nqn.2014-08.org.nvmexpress:uuid:a", "nqn.h2"], Revision = 7 };
        set.Namespaces.Add(new SubsystemNamespace { Nsid = 1, Size = 64UL << 20, BlockSize = 512, Path = "" });
        set.Namespaces.Add(new SubsystemNamespace { Nsid = 2, Size = 1UL << 30, BlockSize = 4096, Path = "/var/lib/offload/ns2.img" });
        return set;
    }

    private static T Decode<T>(byte[] bytes, DecodeStatistics? stats = null)
        where T : class, IMailboxMessage
    {
        var type = typeof(T) == typeof(SubsystemSet) ? MessageType.SubsystemSet : MessageType.SubsystemRemove;
        return Assert.IsType<T>(MessageCodec.Decode(type, new ReadOnlySequence<byte>(bytes), stats: stats));
    }

    [Fact]
    public void SubsystemSet_RoundTrip_AllFieldsEqual()
    {
        var m = Decode<SubsystemSet>(MessageCodec.Encode(Sample()));
        Assert.Equal(("nqn.2026-01.io.offload:vol1", false, 7ul), (m.Nqn, m.AllowAnyHost, m.Revision));
        Assert.Equal(["nqn.2014-08.org.nvmexpress:uuid:a", "nqn.h2"], m.Hosts);
        Assert.Equal(2, m.Namespaces.Count);
        Assert.Equal((1u, 64UL << 20, 512u, ""), (m.Namespaces[0].Nsid, m.Namespaces[0].Size, m.Namespaces[0].BlockSize, m.Namespaces[0].Path));
        Assert.Equal((2u, 1UL << 30, 4096u, "/var/lib/offload/ns2.img"), (m.Namespaces[1].Nsid, m.Namespaces[1].Size, m.Namespaces[1].BlockSize, m.Namespaces[1].Path));
    }

    [Fact]
    public void SubsystemRemove_RoundTrip_AllFieldsEqual()
    {
        var m = Decode<SubsystemRemove>(MessageCodec.Encode(new SubsystemRemove { Nqn = "nqn.x", Revision = 9 }));
        Assert.Equal(("nqn.x", 9ul), (m.Nqn, m.Revision));
    }

    [Fact]
    public void SubsystemSet_PythonMsgpackReadsOurBytes_KeysAndValuesAsDocumented()
    {
        PythonMsgpack.RequireInstalled();
        var hex = Convert.ToHexString(MessageCodec.Encode(Sample()));
        const string Code = """
            import sys, msgpack, json
            m = msgpack.unpackb(bytes.fromhex(sys.argv[1]), strict_map_key=False)
            print(json.dumps([m[0], m[1], m[2], m[3], m[4]], sort_keys=True))
            """;
        var (exit, output) = PythonMsgpack.RunCode(PythonTimeout, Code, hex);
        Assert.True(exit == 0, output);
        Assert.Equal(
            """["nqn.2026-01.io.offload:vol1", false, ["nqn.2014-08.org.nvmexpress:uuid:a", "nqn.h2"], [[1, 67108864, 512, ""], [2, 1073741824, 4096, "/var/lib/offload/ns2.img"]], 7]""",
            output.Trim());
    }

    [Fact]
    public void SubsystemSet_PythonPacksWithUnknownKeysAndExtraFields_DecodedAndCounted()
    {
        PythonMsgpack.RequireInstalled();
        const string Code = """
            import msgpack
            m = {0: "nqn.py", 1: True, 2: ["nqn.h"], 3: [[3, 4096, 512, "", "future field"]], 4: 2, 99: {"new": 1}}
            print(msgpack.packb(m).hex())
            """;
        var (exit, output) = PythonMsgpack.RunCode(PythonTimeout, Code);
        Assert.True(exit == 0, output);
        var stats = new DecodeStatistics();
        var m = Decode<SubsystemSet>(Convert.FromHexString(output.Trim()), stats);
        Assert.Equal(("nqn.py", true, 2ul), (m.Nqn, m.AllowAnyHost, m.Revision));
        Assert.Equal(["nqn.h"], m.Hosts);
        Assert.Equal((3u, 4096ul, 512u), (m.Namespaces[0].Nsid, m.Namespaces[0].Size, m.Namespaces[0].BlockSize));
        Assert.Equal(2, stats.UnknownKeys);
    }

    [Fact]
    public void SubsystemSet_NamespacesOverCap_RejectedBeforeAllocating()
    {
        using var buffer = new Offload.Contracts.Buffers.PooledBufferWriter();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(1);
        w.Write(3);
        w.WriteArrayHeader(SubsystemSet.MaxNamespaces + 1);
        for (var i = 0; i <= SubsystemSet.MaxNamespaces; i++)
        {
            w.WriteArrayHeader(0); // present, so the cap (not the remaining-bytes check) is what refuses it
        }

        w.Flush();
        var ex = Assert.Throws<MessagePackSerializationException>(() => MessageCodec.Decode(MessageType.SubsystemSet, new ReadOnlySequence<byte>(buffer.WrittenMemory)));
        Assert.Contains("cap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubsystemSet_EveryPrefix_ThrowsTypedErrorOnly()
    {
        var bytes = MessageCodec.Encode(Sample());
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.Throws<MessagePackSerializationException>(() => MessageCodec.Decode(MessageType.SubsystemSet, new ReadOnlySequence<byte>(bytes, 0, i)));
        }
    }
}
