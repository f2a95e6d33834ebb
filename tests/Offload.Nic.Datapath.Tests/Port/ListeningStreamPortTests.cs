using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Offload.Nic.Datapath.Port;

namespace Offload.Nic.Datapath.Tests.Port;

/// <summary>The listening stream port (QEMU <c>-netdev stream,server=off</c> connects to it) over real Unix and TCP sockets.</summary>
public sealed class ListeningStreamPortTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("lsp-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Framed(byte[] frame)
    {
        var framed = new byte[4 + frame.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)frame.Length);
        frame.CopyTo(framed, 4);
        return framed;
    }

    private static byte[]? ReceiveOne(IPort port)
    {
        var batch = new FrameBatch();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            batch.Clear();
            if (port.ReceiveBurst(batch) > 0)
            {
                return batch.Frame(0).ToArray();
            }

            Thread.Sleep(1);
        }

        return null;
    }

    private static byte[] ReadFramed(Socket peer)
    {
        peer.ReceiveTimeout = 10_000;
        var prefix = new byte[4];
        ReadExactly(peer, prefix);
        var frame = new byte[BinaryPrimitives.ReadUInt32BigEndian(prefix)];
        ReadExactly(peer, frame);
        return frame;
    }

    private static void ReadExactly(Socket socket, byte[] buffer)
    {
        for (var got = 0; got < buffer.Length;)
        {
            var n = socket.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
            Assert.True(n > 0, "peer closed");
            got += n;
        }
    }

    [Fact]
    public void ReceiveAndTransmit_UnixPeerConnects_FramesFlowBothWays()
    {
        var path = Path.Combine(_directory, "p.sock");
        using var port = Ports.ListenStream(new UnixDomainSocketEndPoint(path));
        using var peer = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        peer.Connect(new UnixDomainSocketEndPoint(path));
        var frame = TestFrames.Ipv4Udp();

        peer.Send(Framed(frame));
        Assert.Equal(frame, ReceiveOne(port));

        var batch = new FrameBatch();
        batch.TryAdd(frame);
        Assert.Equal(1, port.TransmitBurst(batch));
        Assert.Equal(frame, ReadFramed(peer));
    }

    [Fact]
    public void TransmitBurst_NoPeerYet_RefusesFrames()
    {
        using var port = Ports.ListenStream(new IPEndPoint(IPAddress.Loopback, 0));
        var batch = new FrameBatch();
        batch.TryAdd(TestFrames.Ipv4Udp());

        Assert.Equal(0, port.TransmitBurst(batch));
        Assert.Equal(0, port.ReceiveBurst(new FrameBatch()));
    }

    [Fact]
    public void ReceiveBurst_PeerGoneThenNewPeer_AcceptsTheNewOne()
    {
        var path = Path.Combine(_directory, "p.sock");
        using var port = Ports.ListenStream(new UnixDomainSocketEndPoint(path));
        var first = TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB);
        var second = TestFrames.Ipv4Udp(TestFrames.MacB, TestFrames.MacA);
        using (var peer = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            peer.Connect(new UnixDomainSocketEndPoint(path));
            peer.Send(Framed(first));
            Assert.Equal(first, ReceiveOne(port));
        }

        using var restarted = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        restarted.Connect(new UnixDomainSocketEndPoint(path));
        restarted.Send(Framed(second));

        Assert.Equal(second, ReceiveOne(port));
        Assert.Equal(2, ((ListeningStreamPort)port).Connections);
    }

    [Fact]
    public void ListenStream_StaleSocketFile_IsReplacedAndRemovedOnDispose()
    {
        var path = Path.Combine(_directory, "stale.sock");
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(path)); // left behind, as by a killed nic-fw
        }

        var port = Ports.ListenStream(new UnixDomainSocketEndPoint(path));
        Assert.True(File.Exists(path));
        port.Dispose();

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void ReadinessDescriptor_ListenerUntilPeerConnects_ThenTheConnection()
    {
        using var port = Ports.ListenStream(new IPEndPoint(IPAddress.Loopback, 0));
        var listening = (ListeningStreamPort)port;
        var listener = ((IPollablePort)port).ReadinessDescriptor;
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Connect(listening.LocalEndPoint);
        peer.Send(Framed(TestFrames.Ipv4Udp()));

        Assert.NotNull(ReceiveOne(port));
        Assert.True(listening.IsConnected);
        Assert.NotEqual(listener, ((IPollablePort)port).ReadinessDescriptor);
        Assert.True(((IPollablePort)port).ReadinessDescriptor >= 0);
    }
}
