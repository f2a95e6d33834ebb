using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Testing.Mailbox;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>Mailbox behaviour over real TCP and Unix-domain sockets.</summary>
public sealed class MailboxSessionTests
{
    /// <summary>
    /// Tests driven by a hand-made raw peer (which does not answer heartbeats) use a long period, so a loaded machine
    /// cannot turn "bad frame" into "peer lost" before the behaviour under test happens.
    /// </summary>
    private static readonly TimeSpan RawPeerHeartbeat = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Kinds => new() { "tcp", "unix" };

    /// <summary>Tests that need no raw socket peer also run over the shared-memory ring.</summary>
    public static TheoryData<string> AllKinds => new() { "tcp", "unix", "shm" };

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task Handshake_OverlappingRanges_NegotiatesHighestCommonVersion(string kind)
    {
        var endpoint = MailboxFixture.NewEndpoint(kind);
        var deviceOptions = MailboxFixture.Options();
        deviceOptions.MinProtocolVersion = 1;
        deviceOptions.MaxProtocolVersion = 3;
        var hostOptions = MailboxFixture.Options();
        hostOptions.MinProtocolVersion = 2;
        hostOptions.MaxProtocolVersion = 5;
        var deviceSeen = new RecordingHandler();
        var hostSeen = new RecordingHandler();
        using var cts = new CancellationTokenSource();
        var device = MailboxFixture.Device(endpoint, deviceOptions, deviceSeen);
        var client = MailboxFixture.Client(endpoint, hostOptions, hostSeen);
        var (deviceRun, clientRun) = await MailboxFixture.RunPairAsync(device, client, cts.Token);

        await Eventually.TrueAsync(() => client.Session is not null && !deviceSeen.Established.IsEmpty, "session established");
        Assert.Equal(3, client.Session!.ProtocolVersion);
        Assert.Equal("bf3-test", client.Session.Peer!.Id);
        Assert.Equal("1.2.3", client.Session.Peer.SoftwareVersion);
        Assert.Equal(["nvme-tcp", "vswitch"], client.Session.Peer.Capabilities);
        deviceSeen.Established.TryPeek(out var deviceSession);
        Assert.Equal(3, deviceSession!.ProtocolVersion);
        Assert.Equal("host-test", deviceSession.Peer!.Id);

        await Eventually.TrueAsync(() => client.Session?.LastRoundTrip is not null && deviceSession.LastRoundTrip is not null, "heartbeat round trips both ways");

        await cts.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun);
        MailboxFixture.CleanUp(endpoint);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task Handshake_NoCommonVersion_BothSidesReportIncompatible(string kind)
    {
        var endpoint = MailboxFixture.NewEndpoint(kind);
        var deviceOptions = MailboxFixture.Options();
        deviceOptions.MinProtocolVersion = 3;
        deviceOptions.MaxProtocolVersion = 4;
        var hostOptions = MailboxFixture.Options();
        hostOptions.MinProtocolVersion = 1;
        hostOptions.MaxProtocolVersion = 2;
        using var cts = new CancellationTokenSource();
        var device = MailboxFixture.Device(endpoint, deviceOptions, new RecordingHandler());
        var client = MailboxFixture.Client(endpoint, hostOptions, new RecordingHandler());
        var (deviceRun, clientRun) = await MailboxFixture.RunPairAsync(device, client, cts.Token);

        await Eventually.TrueAsync(() => device.Counters.Read().HandshakeFailures >= 1 && client.Counters.Read().HandshakeFailures >= 1, "handshake failure on both ends");
        Assert.Null(client.Session);
        Assert.Contains("incompatible protocol", client.LastFailure, StringComparison.Ordinal);
        Assert.Contains("3..4", client.LastFailure, StringComparison.Ordinal);
        Assert.Contains("1..2", client.LastFailure, StringComparison.Ordinal);
        Assert.Equal(0, device.Counters.Read().Connects);

        await cts.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun);
        MailboxFixture.CleanUp(endpoint);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public async Task Client_DeviceRestarts_Reconnects(string kind)
    {
        var endpoint = MailboxFixture.NewEndpoint(kind);
        var options = MailboxFixture.Options();
        var hostSeen = new RecordingHandler();
        using var clientCts = new CancellationTokenSource();
        using var firstCts = new CancellationTokenSource();
        var first = MailboxFixture.Device(endpoint, options, new RecordingHandler());
        var firstRun = first.RunAsync(firstCts.Token);
        await first.Listening;
        var client = MailboxFixture.Client(endpoint, options, hostSeen);
        var clientRun = client.RunAsync(clientCts.Token);
        await Eventually.TrueAsync(() => client.Session is not null, "first session");

        await firstCts.CancelAsync();
        await firstRun;
        await Eventually.TrueAsync(() => client.Session is null && !hostSeen.Closed.IsEmpty, "client notices the device went away");

        using var secondCts = new CancellationTokenSource();
        var second = MailboxFixture.Device(endpoint, options, new RecordingHandler());
        var secondRun = second.RunAsync(secondCts.Token);
        await second.Listening;
        await Eventually.TrueAsync(() => client.Session is not null, "client reconnects to the restarted device");
        Assert.Equal(2, client.Counters.Read().Connects);
        Assert.Equal(2, hostSeen.Established.Count);

        await clientCts.CancelAsync();
        await secondCts.CancelAsync();
        await Task.WhenAll(clientRun, secondRun);
        MailboxFixture.CleanUp(endpoint);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Device_CorruptedCrcFromHost_CountsResetsAndKeepsServing(string kind)
    {
        var endpoint = MailboxFixture.NewEndpoint(kind);
        var options = MailboxFixture.Options(RawPeerHeartbeat);
        using var cts = new CancellationTokenSource();
        var device = MailboxFixture.Device(endpoint, options, new RecordingHandler());
        var deviceRun = device.RunAsync(cts.Token);
        await device.Listening;

        await using (var raw = await RawMailboxPeer.ConnectAsync(endpoint))
        {
            await raw.ReceiveAsync(MessageType.Hello, TimeSpan.FromSeconds(10));
            await raw.SendAsync(new HelloAck { HostId = "raw", SoftwareVersion = "x", ProtocolVersion = 1 });
            var frame = RawMailboxPeer.Frame(new Ack { AckedSequence = 7 }, 2);
            frame[^1] ^= 0x5A;
            await raw.SendRawAsync(frame);
            Assert.True(await raw.WaitClosedAsync(TimeSpan.FromSeconds(10)), "the device resets the connection");
        }

        Assert.Equal(1, device.Counters.Read().BadCrc);

        var client = MailboxFixture.Client(endpoint, options, new RecordingHandler());
        var clientRun = client.RunAsync(cts.Token);
        await Eventually.TrueAsync(() => client.Session is not null, "a new host session after the bad one");

        await cts.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Client_CorruptedCrcFromDevice_CountsAndReconnects(string kind)
    {
        var endpoint = MailboxFixture.NewEndpoint(kind);
        var options = MailboxFixture.Options(RawPeerHeartbeat);
        using var listener = new System.Net.Sockets.Socket(
            kind == "unix" ? System.Net.Sockets.AddressFamily.Unix : System.Net.Sockets.AddressFamily.InterNetwork,
            System.Net.Sockets.SocketType.Stream,
            kind == "unix" ? System.Net.Sockets.ProtocolType.Unspecified : System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(endpoint.ToEndPoint());
        listener.Listen();
        using var cts = new CancellationTokenSource();
        var client = MailboxFixture.Client(endpoint, options, new RecordingHandler());
        var clientRun = client.RunAsync(cts.Token);

        await using (var fake = RawMailboxPeer.FromAccepted(await listener.AcceptAsync()))
        {
            await fake.SendAsync(new Hello { BoardId = "fake", FirmwareVersion = "0", MinProtocolVersion = 1, MaxProtocolVersion = 1 });
            await fake.ReceiveAsync(MessageType.HelloAck, TimeSpan.FromSeconds(10));
            var frame = RawMailboxPeer.Frame(new Heartbeat { Nonce = 1 }, 2);
            frame[^2] ^= 0xFF;
            await fake.SendRawAsync(frame);
            Assert.True(await fake.WaitClosedAsync(TimeSpan.FromSeconds(10)), "the host resets the connection");
        }

        Assert.Equal(1, client.Counters.Read().BadCrc);
        await using (var second = RawMailboxPeer.FromAccepted(await listener.AcceptAsync()))
        {
            await second.SendAsync(new Hello { BoardId = "fake", FirmwareVersion = "0", MinProtocolVersion = 1, MaxProtocolVersion = 1 });
            await second.ReceiveAsync(MessageType.HelloAck, TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(() => client.Session is not null, "client re-established after the bad frame");
            Assert.Equal(2, client.Counters.Read().Connects);
        }

        await cts.CancelAsync();
        await clientRun;
        if (kind == "unix")
        {
            File.Delete(endpoint.Path);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Device_PeerKilledMidFrame_DetectsTruncationAndCounts(string kind)
    {
        var endpoint = MailboxFixture.NewEndpoint(kind);
        var seen = new RecordingHandler();
        using var cts = new CancellationTokenSource();
        var device = MailboxFixture.Device(endpoint, MailboxFixture.Options(RawPeerHeartbeat), seen);
        var deviceRun = device.RunAsync(cts.Token);
        await device.Listening;

        var raw = await RawMailboxPeer.ConnectAsync(endpoint);
        await raw.ReceiveAsync(MessageType.Hello, TimeSpan.FromSeconds(10));
        await raw.SendAsync(new HelloAck { HostId = "raw", SoftwareVersion = "x", ProtocolVersion = 1 });
        await Eventually.TrueAsync(() => !seen.Established.IsEmpty, "established");
        var frame = RawMailboxPeer.Frame(new Ack { AckedSequence = 1 }, 2);
        await raw.SendRawAsync(frame.AsMemory(0, frame.Length / 2));
        await raw.DisposeAsync();

        await Eventually.TrueAsync(() => !seen.Closed.IsEmpty, "session closed");
        Assert.True(seen.Closed.TryPeek(out string? reason));
        Assert.StartsWith("truncated frame", reason, StringComparison.Ordinal);
        Assert.Equal(1, device.Counters.Read().Truncated);

        await cts.CancelAsync();
        await deviceRun;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Device_UnknownMessageTypeAndOversize_SkipsCountsThenResets(string kind)
    {
        var endpoint = MailboxFixture.NewEndpoint(kind);
        var seen = new RecordingHandler();
        using var cts = new CancellationTokenSource();
        // a long heartbeat period: the raw peer does not answer heartbeats, and must not be declared lost mid-test
        var device = MailboxFixture.Device(endpoint, MailboxFixture.Options(RawPeerHeartbeat), seen);
        var deviceRun = device.RunAsync(cts.Token);
        await device.Listening;

        await using var raw = await RawMailboxPeer.ConnectAsync(endpoint);
        await raw.ReceiveAsync(MessageType.Hello, TimeSpan.FromSeconds(10));
        await raw.SendAsync(new HelloAck { HostId = "raw", SoftwareVersion = "x", ProtocolVersion = 1 });
        await raw.SendAsync(new Ack { AckedSequence = 5 }, typeOverride: (MessageType)999);
        await raw.SendAsync(new Ack { AckedSequence = 6 });
        await Eventually.TrueAsync(() => seen.Messages.Count == 1, "the known message after the unknown one is delivered");
        Assert.Equal(1, device.Counters.Decode.UnknownMessageTypes);
        Assert.Empty(seen.Closed);

        await raw.SendRawAsync(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 0x4F, 0x46 });
        Assert.True(await raw.WaitClosedAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, device.Counters.Read().Oversize);

        await cts.CancelAsync();
        await deviceRun;
    }

    [Fact]
    public async Task Device_PeerSilentMidFrame_LostWithinThreeHeartbeatPeriods()
    {
        var time = new Offload.Testing.Time.SimulatedTimeProvider();
        var period = TimeSpan.FromSeconds(1);
        var endpoint = MailboxFixture.NewEndpoint("tcp");
        var seen = new RecordingHandler();
        using var cts = new CancellationTokenSource();
        var device = MailboxFixture.Device(endpoint, MailboxFixture.Options(period), seen, time);
        var deviceRun = device.RunAsync(cts.Token);
        await device.Listening;

        await using var raw = await RawMailboxPeer.ConnectAsync(endpoint);
        await raw.ReceiveAsync(MessageType.Hello, TimeSpan.FromSeconds(10));
        await raw.SendAsync(new HelloAck { HostId = "raw", SoftwareVersion = "x", ProtocolVersion = 1 });
        await Eventually.TrueAsync(() => !seen.Established.IsEmpty, "established");
        var frame = RawMailboxPeer.Frame(new Ack { AckedSequence = 1 }, 2);
        await raw.SendRawAsync(frame.AsMemory(0, 5));
        await Task.Delay(100);

        var lastHeard = time.Elapsed;
        while (seen.Closed.IsEmpty && time.Elapsed - lastHeard < period * 3)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(5);
        }

        await Eventually.TrueAsync(() => !seen.Closed.IsEmpty, "peer declared lost");
        Assert.True(time.Elapsed - lastHeard <= period * 3, $"detected after {time.Elapsed - lastHeard}");
        Assert.True(seen.Closed.TryPeek(out string? reason));
        Assert.StartsWith("peer lost", reason, StringComparison.Ordinal);
        Assert.Equal(1, device.Counters.Read().PeersLost);

        await cts.CancelAsync();
        await deviceRun;
    }

    [Fact]
    public void Jitter_ManyDraws_StaysWithinTwentyPercent()
    {
        var client = MailboxFixture.Client(MailboxEndpoint.Tcp("127.0.0.1", 1), MailboxFixture.Options(), new RecordingHandler());
        var delay = TimeSpan.FromMilliseconds(1000);
        var seen = new HashSet<long>();
        for (int i = 0; i < 1000; i++)
        {
            var j = client.Jitter(delay);
            Assert.InRange(j.TotalMilliseconds, 800, 1200);
            seen.Add((long)j.TotalMilliseconds);
        }

        Assert.True(seen.Count > 50, "jitter varies");
    }

    [Fact]
    public void Options_BadValues_EachErrorNamesKeyAndValue()
    {
        var options = new MailboxOptions { Endpoint = "tcp://127.0.0.1:99999", HeartbeatPeriod = TimeSpan.Zero, MaxFrameSize = 10 };
        var errors = options.Validate(deviceEnd: true);
        Assert.Contains(errors, e => e.StartsWith("Mailbox:Endpoint = 'tcp://127.0.0.1:99999'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Mailbox:HeartbeatPeriod = '00:00:00'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Mailbox:MaxFrameSize = '10'", StringComparison.Ordinal));
        Assert.Empty(new MailboxOptions().Validate(deviceEnd: true));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Device_FramesLargerThanReceiveBufferInPiecesAndManyInOneWrite_AllDeliveredIntact(string kind)
    {
        var endpoint = MailboxFixture.NewEndpoint(kind);
        var seen = new RecordingHandler();
        using var cts = new CancellationTokenSource();
        var device = MailboxFixture.Device(endpoint, MailboxFixture.Options(RawPeerHeartbeat), seen);
        var deviceRun = device.RunAsync(cts.Token);
        await device.Listening;

        await using var raw = await RawMailboxPeer.ConnectAsync(endpoint);
        await raw.ReceiveAsync(MessageType.Hello, TimeSpan.FromSeconds(10));
        // The HelloAck and the first frame in one write: the bytes the handshake read past its frame are not lost.
        var big = new FlowMetadataBatch();
        for (int i = 0; i < 4000; i++)
        {
            big.Flows.Add(new FlowRecord { FlowId = (ulong)i, ReadRateWindow = i });
        }

        byte[] bigFrame = RawMailboxPeer.Frame(big, 2);
        Assert.True(bigFrame.Length > 64 * 1024 * 2);
        byte[] first = [.. RawMailboxPeer.Frame(new HelloAck { HostId = "raw", SoftwareVersion = "x", ProtocolVersion = 1 }, 1),
            .. RawMailboxPeer.Frame(new Ack { AckedSequence = 1 }, 2)];
        await raw.SendRawAsync(first);
        for (int offset = 0; offset < bigFrame.Length; offset += 10_000)
        {
            await raw.SendRawAsync(bigFrame.AsMemory(offset, Math.Min(10_000, bigFrame.Length - offset)));
            await Task.Delay(1);
        }

        var burst = new List<byte>();
        for (int i = 0; i < 200; i++)
        {
            burst.AddRange(RawMailboxPeer.Frame(new Ack { AckedSequence = (ulong)(100 + i) }, (ulong)(3 + i)));
        }

        await raw.SendRawAsync(burst.ToArray());

        await Eventually.TrueAsync(() => seen.Messages.Count == 202, "every frame delivered");
        var messages = seen.Messages.ToArray();
        Assert.Equal(MessageType.Ack, messages[0].Header.Type);
        var decoded = Assert.IsType<FlowMetadataBatch>(MessageCodec.Decode(messages[1].Header.Type, new System.Buffers.ReadOnlySequence<byte>(messages[1].Payload)));
        Assert.Equal(4000, decoded.Flows.Count);
        Assert.Equal(3999UL, decoded.Flows[^1].FlowId);
        var lastAck = Assert.IsType<Ack>(MessageCodec.Decode(messages[^1].Header.Type, new System.Buffers.ReadOnlySequence<byte>(messages[^1].Payload)));
        Assert.Equal(299UL, lastAck.AckedSequence);
        Assert.Empty(seen.Closed);

        await cts.CancelAsync();
        await deviceRun;
    }

    [Fact]
    public async Task Send_MessageLargerThanFrameCap_ThrowsNamingTheOption()
    {
        var endpoint = MailboxFixture.NewEndpoint("tcp");
        var options = MailboxFixture.Options();
        options.MaxFrameSize = 1024;
        var seen = new RecordingHandler();
        using var cts = new CancellationTokenSource();
        var device = MailboxFixture.Device(endpoint, options, seen);
        var client = MailboxFixture.Client(endpoint, options, new RecordingHandler());
        var (deviceRun, clientRun) = await MailboxFixture.RunPairAsync(device, client, cts.Token);
        await Eventually.TrueAsync(() => client.Session is not null, "session");

        var batch = new FlowMetadataBatch();
        for (int i = 0; i < 100; i++)
        {
            batch.Flows.Add(new FlowRecord { FlowId = (ulong)i });
        }

        var session = client.Session!;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await session.SendAsync(batch));
        Assert.Contains("Mailbox:MaxFrameSize", ex.Message, StringComparison.Ordinal);
        Assert.Same(session, client.Session);
        await session.SendAsync(new Ack { AckedSequence = 1 });
        await Eventually.TrueAsync(() => seen.Messages.Count == 1, "the session still works");

        await cts.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun);
        _ = MessagePackReaderOptions.Default;
    }
}
