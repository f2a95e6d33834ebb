using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Offload.Nic.Datapath.Port;

namespace Offload.Nic.Datapath.Tests.Port;

public class StreamSocketPortTests
{
    private static (Socket Client, IPort Port) ConnectedTcp()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        var server = listener.Accept();
        return (client, Ports.FromStreamSocket(server));
    }

    private static byte[] Framed(params byte[][] frames)
    {
        var stream = new MemoryStream();
        foreach (var frame in frames)
        {
            var prefix = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)frame.Length);
            stream.Write(prefix);
            stream.Write(frame);
        }

        return stream.ToArray();
    }

    private static List<byte[]> ReceiveAll(IPort port, int expected)
    {
        var batch = new FrameBatch();
        var frames = new List<byte[]>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (frames.Count < expected && DateTime.UtcNow < deadline)
        {
            batch.Clear();
            port.ReceiveBurst(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                frames.Add(batch.Frame(i).ToArray());
            }

            Thread.Sleep(1);
        }

        return frames;
    }

    [Fact]
    public void ReceiveBurst_OneByteAtATime_ReassemblesFrames()
    {
        var (client, port) = ConnectedTcp();
        using var _ = client;
        using var __ = port;
        byte[][] frames = [TestFrames.Ipv4Udp(), TestFrames.Arp(), TestFrames.Ipv4Tcp(payload: 1400)];
        var wire = Framed(frames);

        var batch = new FrameBatch();
        var received = new List<byte[]>();
        foreach (var b in wire)
        {
            client.Send([b]);
            Thread.Sleep(0);
            batch.Clear();
            port.ReceiveBurst(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                received.Add(batch.Frame(i).ToArray());
            }
        }

        received.AddRange(ReceiveAll(port, frames.Length - received.Count));
        Assert.Equal(frames, received);
    }

    [Fact]
    public void TransmitBurst_Frames_ArriveWithBigEndianLengthPrefix()
    {
        var (client, port) = ConnectedTcp();
        using var _ = client;
        using var __ = port;
        var batch = new FrameBatch();
        batch.TryAdd(TestFrames.Ipv4Udp());
        batch.TryAdd(TestFrames.Arp());

        Assert.Equal(2, port.TransmitBurst(batch));

        var expected = Framed(TestFrames.Ipv4Udp(), TestFrames.Arp());
        var buffer = new byte[expected.Length];
        var got = 0;
        client.ReceiveTimeout = 5000;
        while (got < buffer.Length)
        {
            got += client.Receive(buffer.AsSpan(got));
        }

        Assert.Equal(expected, buffer);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(100_000u)]
    public void ReceiveBurst_BadLengthPrefix_BreaksConnection(uint length)
    {
        var (client, port) = ConnectedTcp();
        using var _ = client;
        using var __ = port;
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, length);
        client.Send(prefix);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!((StreamSocketPort)port).IsBroken && DateTime.UtcNow < deadline)
        {
            port.ReceiveBurst(new FrameBatch());
            Thread.Sleep(1);
        }

        Assert.True(((StreamSocketPort)port).IsBroken);
        Assert.Equal(1, ((StreamSocketPort)port).ProtocolErrors);
    }

    [Fact]
    public async Task AcceptStreamAsync_UnixSocket_CarriesFrames()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dp-{Guid.NewGuid():N}.sock");
        try
        {
            var endPoint = new UnixDomainSocketEndPoint(path);
            var accept = Ports.AcceptStreamAsync(endPoint, CancellationToken.None);
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            for (var i = 0; i < 100 && !File.Exists(path); i++)
            {
                await Task.Delay(10);
            }

            await client.ConnectAsync(endPoint);
            using var port = await accept;
            client.Send(Framed(TestFrames.Ipv4Icmp()));

            Assert.Equal([TestFrames.Ipv4Icmp()], ReceiveAll(port, 1));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Datapath_TwoStreamPortsLikeTwoQemuGuests_FloodsBetweenThem()
    {
        var (guestA, portA) = ConnectedTcp();
        var (guestB, portB) = ConnectedTcp();
        using var _ = guestA;
        using var __ = guestB;
        var datapath = new SwitchDatapath(new DatapathOptions(), new RecordingUpcallSink(), TimeProvider.System);
        datapath.AddPort(new PortNo(1), portA);
        datapath.AddPort(new PortNo(2), portB);
        datapath.InstallFlow(default, default, 0, [Nic.Datapath.Actions.FlowAction.Flood()], TimeSpan.Zero, TimeSpan.Zero);
        var frame = TestFrames.Ipv4Icmp();

        guestA.Send(Framed(frame));
        var expected = Framed(frame);
        var buffer = new byte[expected.Length];
        var got = 0;
        guestB.Blocking = false;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (got < buffer.Length && DateTime.UtcNow < deadline)
        {
            datapath.Poll();
            var n = guestB.Receive(buffer.AsSpan(got), SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                got += n;
            }

            Thread.Sleep(1);
        }

        Assert.Equal(expected, buffer);
    }
}
