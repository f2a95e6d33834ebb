using System.Buffers.Binary;
using Offload.Nic.Datapath.Port;

namespace Offload.Benchmarks.Datapath;

/// <summary>
/// Benchmark port: every receive copies the next 32 pre-built 64-byte frames into the batch (like a NIC
/// DMA-ing into the ring); every transmit is accepted and discarded.
/// </summary>
internal sealed class ReplayPort(byte[][] frames) : IPort
{
    private int _next;

    public string Name => "replay";

    public long Transmitted { get; private set; }

    public int ReceiveBurst(FrameBatch batch)
    {
        if (frames.Length == 0)
        {
            return 0;
        }

        var n = 0;
        while (batch.Free > 0)
        {
            batch.TryAdd(frames[_next]);
            _next = _next + 1 == frames.Length ? 0 : _next + 1;
            n++;
        }

        return n;
    }

    public int TransmitBurst(FrameBatch batch)
    {
        Transmitted += batch.Count;
        return batch.Count;
    }

    public void Dispose()
    {
    }

    /// <summary>A 64-byte (without FCS: 60 + padding to 64) Ethernet/IPv4/UDP frame.</summary>
    public static byte[] Udp64(ulong srcMac, ulong dstMac, uint srcIp, uint dstIp, ushort srcPort, ushort dstPort)
    {
        var frame = new byte[64];
        WriteMac(frame, dstMac);
        WriteMac(frame.AsSpan(6), srcMac);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], 50);
        ip[8] = 64;
        ip[9] = 17;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], srcIp);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dstIp);
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], dstPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], 30);
        return frame;
    }

    private static void WriteMac(Span<byte> b, ulong mac)
    {
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)(mac >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(b[2..], (uint)mac);
    }
}
