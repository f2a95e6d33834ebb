using System.Runtime.InteropServices;

namespace Offload.Nic.Datapath.Port;

/// <summary>
/// AF_PACKET raw socket bound to one interface (packet(7)). Receives with recvfrom(MSG_DONTWAIT) and skips
/// PACKET_OUTGOING frames (what the host itself sends on the interface); the kernel never loops this
/// socket's own transmissions back to it.
/// </summary>
internal sealed class PacketSocketPort : IPort, IPollablePort
{
    private const byte PacketOutgoing = 4;
    private int _fd;

    public PacketSocketPort(string name, int fd)
    {
        Name = name;
        _fd = fd;
    }

    public string Name { get; }

    public int ReadinessDescriptor => _fd;

    public unsafe int ReceiveBurst(FrameBatch batch)
    {
        var n = 0;
        var address = stackalloc byte[20];
        while (batch.Free > 0)
        {
            var slot = batch.NextSlot();
            uint addressLength = 20;
            nint got;
            fixed (byte* p = slot)
            {
                got = LibC.RecvFrom(_fd, p, (nuint)slot.Length, LibC.MsgDontWait, address, &addressLength);
            }

            if (got <= 0)
            {
                break;
            }

            if (address[10] == PacketOutgoing)
            {
                continue;
            }

            batch.Commit((int)got);
            n++;
        }

        return n;
    }

    public unsafe int TransmitBurst(FrameBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var frame = batch.Frame(i);
            nint sent;
            fixed (byte* p = frame)
            {
                sent = LibC.Send(_fd, p, (nuint)frame.Length, LibC.MsgDontWait);
            }

            if (sent < 0)
            {
                if (Marshal.GetLastPInvokeError() == LibC.EIntr)
                {
                    i--;
                    continue;
                }

                return i;
            }
        }

        return batch.Count;
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            LibC.Close(_fd);
            _fd = -1;
        }
    }
}
