using Offload.Nic.Datapath.Mirror;
using Offload.Nic.Datapath.Port;

namespace Offload.Nic.Datapath;

/// <summary>
/// Port mirroring for <c>offloadctl capture</c>: while armed, the frames one port receives (before any action rewrites
/// them) and sends are copied into a <see cref="CaptureRing"/>. Disarmed, the cost is one field compare per burst.
/// </summary>
public sealed partial class SwitchDatapath
{
    private CaptureRing? _capture;
    private int _capturePort = -1;
    private long _captureRemaining;

    /// <summary>True while a capture is armed and has frames left to take.</summary>
    public bool IsCapturing => Volatile.Read(ref _capturePort) >= 0;

    /// <summary>Arms mirroring of <paramref name="port"/> into <paramref name="ring"/> for <paramref name="count"/> frames (thread-safe).</summary>
    public void StartCapture(PortNo port, long count, CaptureRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Volatile.Write(ref _capturePort, -1);
        Volatile.Write(ref _capture, ring);
        Interlocked.Exchange(ref _captureRemaining, count);
        Volatile.Write(ref _capturePort, port.Value);
    }

    /// <summary>True when <paramref name="port"/> was added to this datapath.</summary>
    public bool HasPort(PortNo port) => _portIndex[port.Value] >= 0;

    /// <summary>Disarms mirroring (thread-safe); frames already in the ring stay readable.</summary>
    public void StopCapture() => Volatile.Write(ref _capturePort, -1);

    private void Mirror(FrameBatch batch, int count, bool outbound)
    {
        var ring = Volatile.Read(ref _capture);
        if (ring is null)
        {
            return;
        }

        long unixNanos = (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        for (int i = 0; i < count; i++)
        {
            if (Volatile.Read(ref _captureRemaining) <= 0)
            {
                StopCapture();
                return;
            }

            if (ring.TryWrite(batch.Frame(i), unixNanos, outbound))
            {
                if (Interlocked.Decrement(ref _captureRemaining) <= 0)
                {
                    StopCapture();
                    return;
                }
            }
        }
    }
}
