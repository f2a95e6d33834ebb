using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>The mailbox protocol (handshake, heartbeats, messages both ways) over the shared-memory ring.</summary>
public sealed class SharedMemorySessionTests
{
    [Fact]
    public async Task Session_MessagesBothWaysIncludingAFrameLargerThanTheRing_AllDeliveredIntact()
    {
        var endpoint = MailboxFixture.NewEndpoint("shm");
        var options = MailboxFixture.Options();
        options.SharedMemoryRingSize = 256 * 1024;
        options.MaxFrameSize = 2 << 20;
        try
        {
            await RunAsync(endpoint, options);
        }
        finally
        {
            MailboxFixture.CleanUp(endpoint);
        }
    }

    private static async Task RunAsync(MailboxEndpoint endpoint, MailboxOptions options)
    {
        var deviceSeen = new RecordingHandler();
        var hostSeen = new RecordingHandler();
        using var cts = new CancellationTokenSource();
        var device = MailboxFixture.Device(endpoint, options, deviceSeen);
        var client = MailboxFixture.Client(endpoint, options, hostSeen);
        var (deviceRun, clientRun) = await MailboxFixture.RunPairAsync(device, client, cts.Token);
        await Eventually.TrueAsync(() => client.Session is not null && !deviceSeen.Established.IsEmpty, "session established");
        Assert.Equal(endpoint.ToString(), client.Session!.RemoteName);
        Assert.Equal(["mbx.sock"], Directory.GetFiles(Path.GetDirectoryName(endpoint.Path)!).Select(Path.GetFileName));
        deviceSeen.Established.TryPeek(out var deviceSession);

        var big = new CaptureFrames { CaptureId = 5 };
        for (int i = 0; i < CaptureFrames.MaxFrames; i++)
        {
            byte[] data = new byte[4096];
            new Random(i).NextBytes(data);
            big.Frames.Add(new CapturedFrame(i, 4096, i % 2 == 0, data));
        }

        for (int i = 0; i < 100; i++)
        {
            await client.Session.SendAsync(new Ack { AckedSequence = (ulong)i });
            await deviceSession!.SendAsync(new Ack { AckedSequence = (ulong)(1000 + i) });
        }

        await deviceSession!.SendAsync(big);
        await client.Session.SendAsync(big);
        await client.Session.SendAsync(new Ack { AckedSequence = 100 });
        await deviceSession.SendAsync(new Ack { AckedSequence = 1100 });

        await Eventually.TrueAsync(() => deviceSeen.Messages.Count == 102 && hostSeen.Messages.Count == 102, "every message both ways");
        AssertReceived(deviceSeen, 0, big);
        AssertReceived(hostSeen, 1000, big);
        await Eventually.TrueAsync(() => client.Session?.LastRoundTrip is not null && deviceSession.LastRoundTrip is not null, "heartbeat round trips both ways");
        Assert.Empty(hostSeen.Closed);
        Assert.Empty(deviceSeen.Closed);

        await cts.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun);
    }

    private static void AssertReceived(RecordingHandler seen, ulong firstAck, CaptureFrames big)
    {
        var messages = seen.Messages.ToArray();
        for (int i = 0; i < 100; i++)
        {
            var ack = Assert.IsType<Ack>(MessageCodec.Decode(messages[i].Header.Type, new System.Buffers.ReadOnlySequence<byte>(messages[i].Payload)));
            Assert.Equal(firstAck + (ulong)i, ack.AckedSequence);
        }

        Assert.True(messages[100].Payload.Length > 1 << 20, "the capture batch is larger than 1 MiB, four rings");
        var frames = Assert.IsType<CaptureFrames>(MessageCodec.Decode(messages[100].Header.Type, new System.Buffers.ReadOnlySequence<byte>(messages[100].Payload), new MessagePackReaderOptions { MaxFrameSize = 2 << 20 }));
        Assert.Equal(big.Frames.Count, frames.Frames.Count);
        for (int i = 0; i < frames.Frames.Count; i++)
        {
            Assert.Equal(big.Frames[i].Data.ToArray(), frames.Frames[i].Data.ToArray());
        }

        var last = Assert.IsType<Ack>(MessageCodec.Decode(messages[101].Header.Type, new System.Buffers.ReadOnlySequence<byte>(messages[101].Payload)));
        Assert.Equal(firstAck + 100, last.AckedSequence);
    }
}
