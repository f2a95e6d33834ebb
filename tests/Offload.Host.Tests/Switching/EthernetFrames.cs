using System.Buffers.Binary;
using Offload.Contracts.Messages;
using Offload.Nic.Datapath;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Host.Tests.Switching;

/// <summary>Builds Ethernet frames and the FlowMiss the real datapath would send for them.</summary>
internal static class EthernetFrames
{
    public const ulong HostA = 0x02_00_00_00_00_0A;
    public const ulong HostB = 0x02_00_00_00_00_0B;
    public const ulong HostC = 0x02_00_00_00_00_0C;
    public const ulong Broadcast = 0xFF_FF_FF_FF_FF_FF;

    /// <summary>An IPv4/UDP frame (60 bytes) from <paramref name="source"/> to <paramref name="destination"/>, tagged with <paramref name="marker"/>.</summary>
    public static byte[] Udp(ulong destination, ulong source, ushort marker = 0)
    {
        var frame = new byte[60];
        WriteMac(frame, destination);
        WriteMac(frame.AsSpan(6), source);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], 28);
        ip[8] = 64;
        ip[9] = 17;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], 0x0A000001);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], 0x0A000002);
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 1000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 2000);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], 8);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(58), marker);
        return frame;
    }

    /// <summary>The FlowMiss nic-fw sends for <paramref name="frame"/> arriving on <paramref name="inPort"/>, key from the real extractor.</summary>
    public static FlowMiss Miss(ulong upcallId, ushort inPort, byte[] frame)
    {
        var reason = FlowExtractor.Extract(frame, inPort, 4420, out var key, out _);
        Assert.Equal(DropReason.None, reason);
        var bytes = new byte[FlowKey.Size];
        Assert.True(key.TryWrite(bytes));
        return new FlowMiss { UpcallId = upcallId, InPort = inPort, Key = bytes, PacketHead = frame };
    }

    public static ushort Marker(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt16BigEndian(frame[58..]);

    private static void WriteMac(Span<byte> destination, ulong mac)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(mac >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)mac);
    }
}
