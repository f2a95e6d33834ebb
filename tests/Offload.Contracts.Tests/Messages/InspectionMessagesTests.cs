using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Contracts.Tests.Messages;

/// <summary>Messages 52-55 (flow dump, capture): round trip, caps, unknown keys, and python3-msgpack as the oracle.</summary>
public sealed class InspectionMessagesTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(0, 64).Select(i => (byte)i)];
    private static readonly byte[] KeyMask = [.. Enumerable.Range(0, 64).Select(i => (byte)(i % 3 == 0 ? 0xFF : 0))];

    private static T RoundTrip<T>(T message, DecodeStatistics? stats = null)
        where T : IMailboxMessage =>
        Assert.IsType<T>(MessageCodec.Decode(message.Type, new ReadOnlySequence<byte>(MessageCodec.Encode(message)), stats: stats));

    private static FlowDumpReply SampleReply()
    {
        var reply = new FlowDumpReply { RequestId = 77, Truncated = true, Matched = 9 };
        reply.Flows.Add(new FlowDumpEntry
        {
            Match = Key, Mask = KeyMask, Priority = 100, Actions = [new FlowAction(FlowActionKind.Output, 2), new FlowAction(FlowActionKind.SetDscp, 46)],
            Packets = 1234, Bytes = 98765, UsedMsAgo = 15, TcpFlags = 0x12, IdleTimeoutMs = 10000, HardTimeoutMs = 0,
        });
        reply.Flows.Add(new FlowDumpEntry { Match = Key, Mask = Key, Priority = 1, UsedMsAgo = -1 });
        return reply;
    }

    private static CaptureFrames SampleFrames()
    {
        var frames = new CaptureFrames { CaptureId = 5, Dropped = 3, Done = true };
        frames.Frames.Add(new CapturedFrame(1_763_000_000_123_456_789, 60, false, new byte[] { 1, 2, 3, 4 }));
        frames.Frames.Add(new CapturedFrame(1_763_000_000_223_456_789, 1514, true, new byte[64]));
        return frames;
    }

    [Fact]
    public void FlowDumpRequest_RoundTrip_FiltersKept()
    {
        var decoded = RoundTrip(new FlowDumpRequest { RequestId = 42, MaxCount = 10, FilterMatch = Key, FilterMask = KeyMask, Application = 3 });
        Assert.Equal(42u, decoded.RequestId);
        Assert.Equal(10u, decoded.MaxCount);
        Assert.Equal(Key, decoded.FilterMatch.ToArray());
        Assert.Equal(KeyMask, decoded.FilterMask.ToArray());
        Assert.Equal(3u, decoded.Application);

        var any = RoundTrip(new FlowDumpRequest { RequestId = 1 });
        Assert.True(any.FilterMask.IsEmpty);
        Assert.Null(any.Application);
        Assert.Equal((uint)FlowDumpRequest.MaxFlows, any.MaxCount);
    }

    [Fact]
    public void FlowDumpRequest_MaxCountAboveCap_Clamped()
    {
        Assert.Equal((uint)FlowDumpRequest.MaxFlows, RoundTrip(new FlowDumpRequest { RequestId = 1, MaxCount = 1_000_000 }).MaxCount);
    }

    [Fact]
    public void FlowDumpReply_RoundTrip_EveryFieldEqual()
    {
        var decoded = RoundTrip(SampleReply());
        Assert.Equal(77u, decoded.RequestId);
        Assert.True(decoded.Truncated);
        Assert.Equal(9u, decoded.Matched);
        Assert.Equal(2, decoded.Flows.Count);
        var f = decoded.Flows[0];
        Assert.Equal(Key, f.Match.ToArray());
        Assert.Equal(KeyMask, f.Mask.ToArray());
        Assert.Equal(100, f.Priority);
        Assert.Equal([new FlowAction(FlowActionKind.Output, 2), new FlowAction(FlowActionKind.SetDscp, 46)], f.Actions);
        Assert.Equal((1234L, 98765L, 15L, (ushort)0x12, 10000u, 0u), (f.Packets, f.Bytes, f.UsedMsAgo, f.TcpFlags, f.IdleTimeoutMs, f.HardTimeoutMs));
        Assert.Equal(-1, decoded.Flows[1].UsedMsAgo);
    }

    [Fact]
    public void CaptureStart_RoundTrip_SnapLengthClamped()
    {
        var decoded = RoundTrip(new CaptureStart { CaptureId = 9, Port = 3, Count = 100, SnapLength = 128 });
        Assert.Equal((9u, (ushort)3, 100u, 128u), (decoded.CaptureId, decoded.Port, decoded.Count, decoded.SnapLength));
        Assert.Equal((uint)CaptureStart.MaxSnapLength, RoundTrip(new CaptureStart { CaptureId = 1, Port = 1, Count = 1, SnapLength = 1_000_000 }).SnapLength);
    }

    [Fact]
    public void CaptureFrames_RoundTrip_FramesAndCountersEqual()
    {
        var decoded = RoundTrip(SampleFrames());
        Assert.Equal((5u, 3UL, true), (decoded.CaptureId, decoded.Dropped, decoded.Done));
        Assert.Equal(2, decoded.Frames.Count);
        Assert.Equal(1_763_000_000_123_456_789, decoded.Frames[0].TimestampUnixNanos);
        Assert.Equal(60u, decoded.Frames[0].OriginalLength);
        Assert.False(decoded.Frames[0].Outbound);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, decoded.Frames[0].Data.ToArray());
        Assert.True(decoded.Frames[1].Outbound);
        Assert.Equal(64, decoded.Frames[1].Data.Length);
    }

    [Fact]
    public void CaptureFrames_OriginalShorterThanData_Rejected()
    {
        var bad = new CaptureFrames { CaptureId = 1 };
        bad.Frames.Add(new CapturedFrame(1, 2, false, new byte[10]));
        var bytes = MessageCodec.Encode(bad);
        Assert.Throws<MessagePackSerializationException>(() => MessageCodec.Decode(MessageType.CaptureFrames, new ReadOnlySequence<byte>(bytes)));
    }

    [Fact]
    public void Decode_EveryPrefixOfEachMessage_ThrowsTypedErrorOnly()
    {
        IMailboxMessage[] messages =
        [
            new FlowDumpRequest { RequestId = 42, MaxCount = 10, FilterMatch = Key, FilterMask = KeyMask, Application = 3 },
            SampleReply(),
            new CaptureStart { CaptureId = 9, Port = 3, Count = 100, SnapLength = 128 },
            SampleFrames(),
        ];
        foreach (var message in messages)
        {
            var bytes = MessageCodec.Encode(message);
            for (int n = 0; n < bytes.Length; n++)
            {
                try
                {
                    MessageCodec.Decode(message.Type, new ReadOnlySequence<byte>(bytes, 0, n));
                    Assert.Fail($"{message.Type}: a {n}-byte prefix of {bytes.Length} decoded");
                }
                catch (MessagePackSerializationException)
                {
                    // expected: truncated input is a typed error
                }
            }
        }
    }

    [Fact]
    public void Decode_100kMutatedRepliesAndFrames_NeverAnUntypedException()
    {
        var random = new Random(52);
        var original = MessageCodec.Encode(SampleReply());
        var frames = MessageCodec.Encode(SampleFrames());
        for (int i = 0; i < 100_000; i++)
        {
            var source = i % 2 == 0 ? original : frames;
            var mutated = (byte[])source.Clone();
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            try
            {
                MessageCodec.Decode(i % 2 == 0 ? MessageType.FlowDumpReply : MessageType.CaptureFrames, new ReadOnlySequence<byte>(mutated));
            }
            catch (MessagePackSerializationException)
            {
                // typed rejection is fine
            }
        }
    }

    [Fact]
    public void PythonMsgpack_ReadsCSharpReplyAndFrames_WritesRequestWithUnknownKey()
    {
        RequireMsgpack();
        using var directory = new TempFiles();
        File.WriteAllBytes(directory.Path("reply.bin"), MessageCodec.Encode(SampleReply()));
        File.WriteAllBytes(directory.Path("frames.bin"), MessageCodec.Encode(SampleFrames()));
        const string Script = """
            import json, sys, msgpack
            d = sys.argv[1]
            def j(o):
                if isinstance(o, bytes): return o.hex()
                if isinstance(o, dict): return {str(k): j(v) for k, v in o.items()}
                if isinstance(o, list): return [j(v) for v in o]
                return o
            reply = msgpack.unpackb(open(d + '/reply.bin', 'rb').read(), raw=False, strict_map_key=False)
            frames = msgpack.unpackb(open(d + '/frames.bin', 'rb').read(), raw=False, strict_map_key=False)
            # A request as another implementation would write it, with a key this version does not know (99).
            open(d + '/request.bin', 'wb').write(msgpack.packb({0: 7, 1: 5, 4: 2, 99: 'future', 2: bytes(range(64)), 3: bytes([255] * 64)}))
            open(d + '/capture.bin', 'wb').write(msgpack.packb({0: 11, 1: 4, 2: 25, 3: 96}))
            print(json.dumps({'reply': j(reply), 'frames': j(frames)}))
            """;
        File.WriteAllText(directory.Path("oracle.py"), Script);
        var (exit, output) = Run("/usr/bin/python3", directory.Path("oracle.py"), directory.Root);
        Assert.True(exit == 0, output);
        using var json = JsonDocument.Parse(output);
        var reply = json.RootElement.GetProperty("reply");
        Assert.Equal(77, reply.GetProperty("0").GetInt32());
        Assert.True(reply.GetProperty("1").GetBoolean());
        var flow = reply.GetProperty("2")[0];
        Assert.Equal(Convert.ToHexStringLower(Key), flow[0].GetString());
        Assert.Equal(100, flow[2].GetInt32());
        Assert.Equal(1, flow[3][0][0].GetInt32());
        Assert.Equal(2, flow[3][0][1].GetInt32());
        Assert.Equal(1234, flow[4].GetInt64());
        Assert.Equal(-1, reply.GetProperty("2")[1][6].GetInt64());
        var frames = json.RootElement.GetProperty("frames");
        Assert.Equal(1_763_000_000_123_456_789, frames.GetProperty("1")[0][0].GetInt64());
        Assert.Equal("01020304", frames.GetProperty("1")[0][3].GetString());
        Assert.True(frames.GetProperty("3").GetBoolean());

        var stats = new DecodeStatistics();
        var request = Assert.IsType<FlowDumpRequest>(MessageCodec.Decode(MessageType.FlowDumpRequest, new ReadOnlySequence<byte>(File.ReadAllBytes(directory.Path("request.bin"))), stats: stats));
        Assert.Equal((7u, 5u, 2u), (request.RequestId, request.MaxCount, request.Application!.Value));
        Assert.Equal(64, request.FilterMask.Length);
        Assert.True(stats.UnknownKeys > 0);
        var capture = Assert.IsType<CaptureStart>(MessageCodec.Decode(MessageType.CaptureStart, new ReadOnlySequence<byte>(File.ReadAllBytes(directory.Path("capture.bin")))));
        Assert.Equal((11u, (ushort)4, 25u, 96u), (capture.CaptureId, capture.Port, capture.Count, capture.SnapLength));
    }

    private static void RequireMsgpack()
    {
        var (exit, output) = Run("/usr/bin/python3", "-c", "import msgpack");
        Assert.True(exit == 0, "python3-msgpack is required (apt-get install -y python3-msgpack): " + output);
    }

    private static (int Exit, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit(60_000);
        return (process.ExitCode, stdout + stderr);
    }

    private sealed class TempFiles : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("offload-msg-").FullName;

        public string Path(string name) => System.IO.Path.Combine(Root, name);

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
