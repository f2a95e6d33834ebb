using System.Net;
using System.Net.Sockets;
using Offload.Nic.Datapath.Port;

namespace Offload.Nic.Datapath.Tests.Port;

public class DatagramSocketPortTests
{
    [Fact]
    public void ReceiveAndTransmit_OneFramePerDatagram()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var local = (IPEndPoint)probe.LocalEndPoint!;
        probe.Close();
        using var port = Ports.OpenDatagram(local, (IPEndPoint)peer.LocalEndPoint!);

        peer.SendTo(TestFrames.Ipv4Udp(), local);
        peer.SendTo(TestFrames.Arp(), local);
        var batch = new FrameBatch();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (batch.Count < 2 && DateTime.UtcNow < deadline)
        {
            port.ReceiveBurst(batch);
            Thread.Sleep(1);
        }

        Assert.Equal(2, batch.Count);
        Assert.Equal(TestFrames.Ipv4Udp(), batch.Frame(0).ToArray());
        Assert.Equal(TestFrames.Arp(), batch.Frame(1).ToArray());

        Assert.Equal(2, port.TransmitBurst(batch));
        var buffer = new byte[4096];
        peer.ReceiveTimeout = 5000;
        Assert.Equal(TestFrames.Ipv4Udp().Length, peer.Receive(buffer));
        Assert.Equal(TestFrames.Arp(), buffer[..peer.Receive(buffer)]);
    }
}
