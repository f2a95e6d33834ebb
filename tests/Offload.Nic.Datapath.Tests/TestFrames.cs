using System.Buffers.Binary;

namespace Offload.Nic.Datapath.Tests;

/// <summary>Builds well-formed test frames (correct lengths and IPv4 header checksum).</summary>
internal static class TestFrames
{
    public const ulong MacA = 0x02_00_00_00_00_0A;
    public const ulong MacB = 0x02_00_00_00_00_0B;

    public static byte[] Ipv4Tcp(ulong src = MacA, ulong dst = MacB, uint ipSrc = 0x0A000001, uint ipDst = 0x0A000002,
        ushort sport = 1234, ushort dport = 80, byte tos = 0, int payload = 0, ushort? vlan = null, int optionsSize = 0,
        byte flags = 0x18, ReadOnlySpan<byte> payloadBytes = default)
    {
        var payloadLength = payloadBytes.IsEmpty ? payload : payloadBytes.Length;
        var l4 = new byte[20 + payloadLength];
        BinaryPrimitives.WriteUInt16BigEndian(l4, sport);
        BinaryPrimitives.WriteUInt16BigEndian(l4.AsSpan(2), dport);
        l4[12] = 5 << 4;
        l4[13] = flags;
        payloadBytes.CopyTo(l4.AsSpan(20));
        return Ipv4(src, dst, ipSrc, ipDst, 6, tos, l4, vlan, optionsSize);
    }

    public static byte[] Ipv4Udp(ulong src = MacA, ulong dst = MacB, uint ipSrc = 0x0A000001, uint ipDst = 0x0A000002,
        ushort sport = 5000, ushort dport = 53, int payload = 18, byte tos = 0)
    {
        var l4 = new byte[8 + payload];
        BinaryPrimitives.WriteUInt16BigEndian(l4, sport);
        BinaryPrimitives.WriteUInt16BigEndian(l4.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt16BigEndian(l4.AsSpan(4), (ushort)l4.Length);
        return Ipv4(src, dst, ipSrc, ipDst, 17, tos, l4, null, 0);
    }

    public static byte[] Ipv4Icmp(ulong src = MacA, ulong dst = MacB) =>
        Ipv4(src, dst, 0x0A000001, 0x0A000002, 1, 0, [8, 0, 0, 0, 0, 1, 0, 1], null, 0);

    public static byte[] Ipv4(ulong src, ulong dst, uint ipSrc, uint ipDst, byte proto, byte tos, byte[] l4, ushort? vlan, int optionsSize)
    {
        var l2 = vlan is null ? 14 : 18;
        var ihl = 20 + optionsSize;
        var frame = new byte[l2 + ihl + l4.Length];
        WriteEthernet(frame, src, dst, 0x0800, vlan);
        var ip = frame.AsSpan(l2);
        ip[0] = (byte)(0x40 | (ihl / 4));
        ip[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(ihl + l4.Length));
        ip[6] = 0x40; // DF
        ip[8] = 64;
        ip[9] = proto;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], ipSrc);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], ipDst);
        for (var i = 20; i < ihl; i++)
        {
            ip[i] = 1; // NOP options
        }

        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip[..ihl]));
        l4.CopyTo(ip[ihl..]);
        return frame;
    }

    public static byte[] Ipv6Udp(bool withHopByHop = false, ushort sport = 7, ushort dport = 9)
    {
        var ext = withHopByHop ? 8 : 0;
        var frame = new byte[14 + 40 + ext + 8 + 4];
        WriteEthernet(frame, MacA, MacB, 0x86DD, null);
        var ip = frame.AsSpan(14);
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)(ext + 12));
        ip[6] = withHopByHop ? (byte)0 : (byte)17;
        ip[7] = 64;
        ip[8] = 0xFE;
        ip[9] = 0x80;
        ip[23] = 1;
        ip[24] = 0xFE;
        ip[25] = 0x80;
        ip[39] = 2;
        var l4 = ip[40..];
        if (withHopByHop)
        {
            l4[0] = 17;
            l4[1] = 0;
            l4[2] = 1; // PadN
            l4[3] = 4;
            l4 = l4[8..];
        }

        BinaryPrimitives.WriteUInt16BigEndian(l4, sport);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], dport);
        BinaryPrimitives.WriteUInt16BigEndian(l4[4..], 12);
        return frame;
    }

    public static byte[] Arp(ulong src = MacA, uint spa = 0x0A000001, uint tpa = 0x0A000002)
    {
        var frame = new byte[14 + 28];
        WriteEthernet(frame, src, 0xFFFF_FFFF_FFFF, 0x0806, null);
        var arp = frame.AsSpan(14);
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], 0x0800);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], 1);
        WriteMac(arp[8..], src);
        BinaryPrimitives.WriteUInt32BigEndian(arp[14..], spa);
        BinaryPrimitives.WriteUInt32BigEndian(arp[24..], tpa);
        return frame;
    }

    public static byte[] NvmeCapsule(byte opcode, uint dataSize)
    {
        var pdu = new byte[72];
        pdu[0] = 0x04;
        pdu[2] = 72;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), 72);
        pdu[8] = opcode;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(8 + 32), dataSize);
        return pdu;
    }

    public static void WriteEthernet(Span<byte> frame, ulong src, ulong dst, ushort etherType, ushort? vlan)
    {
        WriteMac(frame, dst);
        WriteMac(frame[6..], src);
        if (vlan is { } tci)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame[12..], 0x8100);
            BinaryPrimitives.WriteUInt16BigEndian(frame[14..], tci);
            BinaryPrimitives.WriteUInt16BigEndian(frame[16..], etherType);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame[12..], etherType);
        }
    }

    public static void WriteMac(Span<byte> b, ulong mac)
    {
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)(mac >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(b[2..], (uint)mac);
    }

    public static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < header.Length; i += 2)
        {
            if (i == 10)
            {
                continue;
            }

            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    public static bool ChecksumValid(ReadOnlySpan<byte> ipHeader)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < ipHeader.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(ipHeader[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return sum == 0xFFFF;
    }
}
