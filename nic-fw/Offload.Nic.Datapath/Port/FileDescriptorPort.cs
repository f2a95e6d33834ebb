using System.Runtime.InteropServices;

namespace Offload.Nic.Datapath.Port;

/// <summary>
/// A port over a non-blocking file descriptor where one read returns one frame and one write sends one
/// frame: a TAP device (IFF_TAP|IFF_NO_PI) or a bound AF_PACKET socket.
/// </summary>
internal sealed class FileDescriptorPort : IPort, IPollablePort
{
    private int _fd;

    public FileDescriptorPort(string name, int fd)
    {
        Name = name;
        _fd = fd;
    }

    public string Name { get; }

    public int ReadinessDescriptor => _fd;

    /// <summary>Transmit calls refused by the kernel (ENOBUFS/EAGAIN).</summary>
    public long TransmitRefused { get; private set; }

    public unsafe int ReceiveBurst(FrameBatch batch)
    {
        var n = 0;
        while (batch.Free > 0)
        {
            var slot = batch.NextSlot();
            nint got;
            fixed (byte* p = slot)
            {
                got = LibC.Read(_fd, p, (nuint)slot.Length);
            }

            if (got <= 0)
            {
                break; // EAGAIN (nothing pending), EINTR, or the device went away
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
            nint written;
            fixed (byte* p = frame)
            {
                written = LibC.Write(_fd, p, (nuint)frame.Length);
            }

            if (written < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != LibC.EIntr)
                {
                    TransmitRefused++;
                    return i;
                }

                i--; // retry on EINTR
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
