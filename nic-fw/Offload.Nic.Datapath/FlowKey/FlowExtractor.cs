using System.Buffers.Binary;

namespace Offload.Nic.Datapath.FlowKeys;

/// <summary>
/// Parses a frame into a <see cref="FlowKey"/>: Ethernet II, one 802.1Q/802.1ad tag, ARP, IPv4 with options
/// (RFC 791), IPv6 with extension headers skipped (RFC 8200), TCP (RFC 793), UDP (RFC 768), ICMP (RFC 792)
/// and ICMPv6. Every declared length is checked against the remaining bytes; a malformed frame returns its
/// <see cref="DropReason"/>. No allocation, no exceptions.
/// </summary>
public static partial class FlowExtractor
{
    /// <summary>Ethertype IPv4.</summary>
    public const ushort EtherTypeIpv4 = 0x0800;
    /// <summary>Ethertype ARP.</summary>
    public const ushort EtherTypeArp = 0x0806;
    /// <summary>Ethertype IPv6.</summary>
    public const ushort EtherTypeIpv6 = 0x86DD;
    /// <summary>Ethertype 802.1Q C-tag.</summary>
    public const ushort EtherTypeVlan = 0x8100;
    /// <summary>Ethertype 802.1ad S-tag.</summary>
    public const ushort EtherTypeQinQ = 0x88A8;
    /// <summary>IP protocol ICMP.</summary>
    public const byte ProtoIcmp = 1;
    /// <summary>IP protocol TCP.</summary>
    public const byte ProtoTcp = 6;
    /// <summary>IP protocol UDP.</summary>
    public const byte ProtoUdp = 17;
    /// <summary>IP protocol ICMPv6.</summary>
    public const byte ProtoIcmpv6 = 58;

    private const int MaxIpv6ExtensionHeaders = 8;

    /// <summary>Extracts the flow key of <paramref name="frame"/>.</summary>
    /// <param name="frame">The whole Ethernet frame (no FCS).</param>
    /// <param name="inPort">Ingress port number.</param>
    /// <param name="nvmeTcpPort">TCP port of the NVMe/TCP target to peek at (0 disables the peek).</param>
    /// <param name="key">The key; partially filled when malformed.</param>
    /// <param name="meta">Layer offsets and NVMe peek.</param>
    /// <returns><see cref="DropReason.None"/> or the malformed-frame reason.</returns>
    public static DropReason Extract(ReadOnlySpan<byte> frame, ushort inPort, ushort nvmeTcpPort, out FlowKey key, out PacketMetadata meta) =>
        TryExtractFast(frame, inPort, nvmeTcpPort, out key, out meta) ? DropReason.None : ExtractGeneral(frame, inPort, nvmeTcpPort, out key, out meta);

    /// <summary>The general parser (every shape); <see cref="Extract"/> tries the IPv4 UDP/TCP fast path first.</summary>
    internal static DropReason ExtractGeneral(ReadOnlySpan<byte> frame, ushort inPort, ushort nvmeTcpPort, out FlowKey key, out PacketMetadata meta)
    {
        key = default;
        meta = default;
        meta.L3Offset = -1;
        meta.L4Offset = -1;
        key.InPort = inPort;
        if (frame.Length < 14)
        {
            return DropReason.TruncatedEthernet;
        }

        key.EthDst = ReadMac(frame);
        key.EthSrc = ReadMac(frame[6..]);
        var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        var offset = 14;
        if (etherType is EtherTypeVlan or EtherTypeQinQ)
        {
            if (frame.Length < 18)
            {
                return DropReason.TruncatedVlan;
            }

            key.VlanPresent = true;
            key.VlanTci = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
            offset = 18;
        }

        key.EtherType = etherType;
        var l3 = frame[offset..];
        meta.L3Offset = offset;
        return etherType switch
        {
            EtherTypeIpv4 => ParseIpv4(l3, offset, nvmeTcpPort, ref key, ref meta),
            EtherTypeIpv6 => ParseIpv6(l3, offset, nvmeTcpPort, ref key, ref meta),
            EtherTypeArp => ParseArp(l3, ref key),
            _ => DropReason.None,
        };
    }

    private static ulong ReadMac(ReadOnlySpan<byte> b) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(b) << 32) | BinaryPrimitives.ReadUInt32BigEndian(b[2..]);

    private static DropReason ParseArp(ReadOnlySpan<byte> arp, ref FlowKey key)
    {
        // Ethernet/IPv4 ARP (RFC 826): htype(2) ptype(2) hlen(1) plen(1) op(2) sha(6) spa(4) tha(6) tpa(4).
        if (arp.Length < 28)
        {
            return DropReason.TruncatedArp;
        }

        key.IpProto = (byte)BinaryPrimitives.ReadUInt16BigEndian(arp[6..]);
        key.Ipv4Src = BinaryPrimitives.ReadUInt32BigEndian(arp[14..]);
        key.Ipv4Dst = BinaryPrimitives.ReadUInt32BigEndian(arp[24..]);
        return DropReason.None;
    }

    private static DropReason ParseIpv4(ReadOnlySpan<byte> ip, int l3Offset, ushort nvmeTcpPort, ref FlowKey key, ref PacketMetadata meta)
    {
        if (ip.Length < 20)
        {
            return DropReason.TruncatedIpv4;
        }

        var ihl = (ip[0] & 0x0F) * 4;
        if (ihl < 20)
        {
            return DropReason.Ipv4HeaderLengthTooSmall;
        }

        if (ihl > ip.Length)
        {
            return DropReason.Ipv4HeaderLengthBeyondFrame;
        }

        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (totalLength < ihl || totalLength > ip.Length)
        {
            return DropReason.Ipv4BadTotalLength;
        }

        key.IpTos = ip[1];
        key.IpProto = ip[9];
        key.Ipv4Src = BinaryPrimitives.ReadUInt32BigEndian(ip[12..]);
        key.Ipv4Dst = BinaryPrimitives.ReadUInt32BigEndian(ip[16..]);
        var fragment = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        if ((fragment & 0x3FFF) != 0)
        {
            return DropReason.Ipv4Fragment;
        }

        meta.L4Offset = l3Offset + ihl;
        return ParseL4(ip[ihl..totalLength], ip[9], nvmeTcpPort, ref key, ref meta);
    }

    private static DropReason ParseIpv6(ReadOnlySpan<byte> ip, int l3Offset, ushort nvmeTcpPort, ref FlowKey key, ref PacketMetadata meta)
    {
        if (ip.Length < 40)
        {
            return DropReason.TruncatedIpv6;
        }

        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        if (40 + payloadLength > ip.Length)
        {
            return DropReason.Ipv6BadPayloadLength;
        }

        key.IpTos = (byte)(BinaryPrimitives.ReadUInt16BigEndian(ip) >> 4);
        key.Ipv6SrcHigh = BinaryPrimitives.ReadUInt64BigEndian(ip[8..]);
        key.Ipv6SrcLow = BinaryPrimitives.ReadUInt64BigEndian(ip[16..]);
        key.Ipv6DstHigh = BinaryPrimitives.ReadUInt64BigEndian(ip[24..]);
        key.Ipv6DstLow = BinaryPrimitives.ReadUInt64BigEndian(ip[32..]);
        var next = ip[6];
        var payload = ip.Slice(40, payloadLength);
        var consumed = 40;
        for (var i = 0; ; i++)
        {
            switch (next)
            {
                case 0 or 43 or 60: // hop-by-hop, routing, destination options: (len+1)*8 bytes
                case 51: // AH: (len+2)*4 bytes
                    if (i >= MaxIpv6ExtensionHeaders || payload.Length < 8)
                    {
                        key.IpProto = next;
                        return DropReason.Ipv6BadExtensionHeader;
                    }

                    var extLength = next == 51 ? (payload[1] + 2) * 4 : (payload[1] + 1) * 8;
                    if (extLength > payload.Length)
                    {
                        key.IpProto = next;
                        return DropReason.Ipv6BadExtensionHeader;
                    }

                    next = payload[0];
                    payload = payload[extLength..];
                    consumed += extLength;
                    continue;
                case 44:
                    key.IpProto = next;
                    return DropReason.Ipv6Fragment;
                default:
                    key.IpProto = next;
                    meta.L4Offset = l3Offset + consumed;
                    return ParseL4(payload, next, nvmeTcpPort, ref key, ref meta);
            }
        }
    }

    private static DropReason ParseL4(ReadOnlySpan<byte> l4, byte proto, ushort nvmeTcpPort, ref FlowKey key, ref PacketMetadata meta)
    {
        switch (proto)
        {
            case ProtoTcp:
                return ParseTcp(l4, nvmeTcpPort, ref key, ref meta);
            case ProtoUdp:
                if (l4.Length < 8)
                {
                    return DropReason.TruncatedUdp;
                }

                key.TpSrc = BinaryPrimitives.ReadUInt16BigEndian(l4);
                key.TpDst = BinaryPrimitives.ReadUInt16BigEndian(l4[2..]);
                int udpLength = BinaryPrimitives.ReadUInt16BigEndian(l4[4..]);
                return udpLength < 8 || udpLength > l4.Length ? DropReason.UdpBadLength : DropReason.None;
            case ProtoIcmp or ProtoIcmpv6:
                if (l4.Length < 4)
                {
                    return DropReason.TruncatedIcmp;
                }

                key.TpSrc = l4[0];
                key.TpDst = l4[1];
                return DropReason.None;
            default:
                meta.L4Offset = -1;
                return DropReason.None;
        }
    }

    private static DropReason ParseTcp(ReadOnlySpan<byte> tcp, ushort nvmeTcpPort, ref FlowKey key, ref PacketMetadata meta)
    {
        if (tcp.Length < 20)
        {
            return DropReason.TruncatedTcp;
        }

        key.TpSrc = BinaryPrimitives.ReadUInt16BigEndian(tcp);
        key.TpDst = BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]);
        var offsetAndFlags = BinaryPrimitives.ReadUInt16BigEndian(tcp[12..]);
        var dataOffset = (offsetAndFlags >> 12) * 4;
        if (dataOffset < 20)
        {
            return DropReason.TcpDataOffsetTooSmall;
        }

        if (dataOffset > tcp.Length)
        {
            return DropReason.TcpDataOffsetBeyondPayload;
        }

        key.TcpFlags = (ushort)(offsetAndFlags & 0x0FFF);
        if (nvmeTcpPort != 0 && (key.TpSrc == nvmeTcpPort || key.TpDst == nvmeTcpPort))
        {
            PeekNvme(tcp[dataOffset..], ref meta);
        }

        return DropReason.None;
    }
}
