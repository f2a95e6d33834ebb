using System.Net.Sockets;

namespace Offload.Nic.Datapath.Port;

/// <summary>QEMU <c>-netdev dgram</c> / <c>socket,udp=</c>: one Ethernet frame per UDP datagram, connected socket.</summary>
internal sealed class DatagramSocketPort : IPort, IPollablePort
{
    private readonly Socket _socket;
    private readonly int _descriptor;

    public DatagramSocketPort(Socket socket, string name)
    {
        _socket = socket;
        _descriptor = (int)socket.Handle;
        Name = name;
    }

    public string Name { get; }

    public int ReadinessDescriptor => _descriptor;

    public int ReceiveBurst(FrameBatch batch)
    {
        var n = 0;
        while (batch.Free > 0)
        {
            var got = _socket.Receive(batch.NextSlot(), SocketFlags.None, out var error);
            if (error != SocketError.Success)
            {
                break; // WouldBlock, or ConnectionRefused (ICMP from a peer that is not up yet): try next poll
            }

            if (got > 0)
            {
                batch.Commit(got);
                n++;
            }
        }

        return n;
    }

    public int TransmitBurst(FrameBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            _socket.Send(batch.Frame(i), SocketFlags.None, out var error);
            if (error is SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable)
            {
                return i;
            }
        }

        return batch.Count;
    }

    public void Dispose() => _socket.Dispose();
}
