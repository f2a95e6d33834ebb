using System.Buffers.Binary;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Actions;

/// <summary>
/// In-place header rewrites on a frame held in a buffer with headroom. <c>start</c>/<c>length</c> locate the
/// frame in <c>buffer</c>; <c>floor</c> is the lowest index the frame may grow down to.
/// </summary>
internal static class PacketRewriter
{
    public static void SetMac(Span<byte> frame, int offset, ulong mac)
    {
        BinaryPrimitives.WriteUInt16BigEndian(frame[offset..], (ushort)(mac >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(frame[(offset + 2)..], (uint)mac);
    }

    /// <summary>Offset of the L3 header and its ethertype (after at most one tag).</summary>
    public static int L3(ReadOnlySpan<byte> frame, out ushort etherType)
    {
        etherType = 0;
        if (frame.Length < 14)
        {
            return -1;
        }

        etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        if (etherType is FlowExtractor.EtherTypeVlan or FlowExtractor.EtherTypeQinQ)
        {
            if (frame.Length < 18)
            {
                return -1;
            }

            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
            return 18;
        }

        return 14;
    }

    public static bool TryPushVlan(byte[] buffer, ref int start, ref int length, int floor, ushort tci)
    {
        if (start - 4 < floor || length < 12)
        {
            return false;
        }

        buffer.AsSpan(start, 12).CopyTo(buffer.AsSpan(start - 4));
        start -= 4;
        length += 4;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(start + 12), FlowExtractor.EtherTypeVlan);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(start + 14), tci);
        return true;
    }

    public static bool TryPopVlan(byte[] buffer, ref int start, ref int length)
    {
        if (length < 18)
        {
            return false;
        }

        var etherType = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(start + 12));
        if (etherType is not (FlowExtractor.EtherTypeVlan or FlowExtractor.EtherTypeQinQ))
        {
            return false;
        }

        buffer.AsSpan(start, 12).CopyTo(buffer.AsSpan(start + 4));
        start += 4;
        length -= 4;
        return true;
    }

    /// <summary>Reads the TOS/traffic-class byte; false when the frame is not IP.</summary>
    public static bool TryGetTos(ReadOnlySpan<byte> frame, out byte tos)
    {
        tos = 0;
        var l3 = L3(frame, out var etherType);
        if (etherType == FlowExtractor.EtherTypeIpv4 && l3 > 0 && frame.Length >= l3 + 20)
        {
            tos = frame[l3 + 1];
            return true;
        }

        if (etherType == FlowExtractor.EtherTypeIpv6 && l3 > 0 && frame.Length >= l3 + 40)
        {
            tos = (byte)(BinaryPrimitives.ReadUInt16BigEndian(frame[l3..]) >> 4);
            return true;
        }

        return false;
    }

    /// <summary>Writes the TOS/traffic-class byte, fixing the IPv4 header checksum incrementally (RFC 1624).</summary>
    public static bool TrySetTos(Span<byte> frame, byte tos)
    {
        var l3 = L3(frame, out var etherType);
        if (etherType == FlowExtractor.EtherTypeIpv4 && l3 > 0 && frame.Length >= l3 + 20)
        {
            var ip = frame[l3..];
            var oldWord = BinaryPrimitives.ReadUInt16BigEndian(ip);
            ip[1] = tos;
            var newWord = BinaryPrimitives.ReadUInt16BigEndian(ip);
            var checksum = BinaryPrimitives.ReadUInt16BigEndian(ip[10..]);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], UpdateChecksum(checksum, oldWord, newWord));
            return true;
        }

        if (etherType == FlowExtractor.EtherTypeIpv6 && l3 > 0 && frame.Length >= l3 + 40)
        {
            var word = BinaryPrimitives.ReadUInt16BigEndian(frame[l3..]);
            word = (ushort)((word & 0xF00F) | (tos << 4));
            BinaryPrimitives.WriteUInt16BigEndian(frame[l3..], word);
            return true;
        }

        return false;
    }

    /// <summary>HC' = ~(~HC + ~m + m') (RFC 1624 eqn. 3).</summary>
    public static ushort UpdateChecksum(ushort checksum, ushort oldWord, ushort newWord)
    {
        var sum = (uint)(ushort)~checksum + (ushort)~oldWord + newWord;
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>Appends the <see cref="RateOption"/> to the IPv4 header, moving L2+L3 headers into the headroom. False
    /// (the packet is left as it is) when the header has no room for 8 more bytes or the packet would grow past
    /// <paramref name="maxIpLength"/> (the MTU of the port it leaves by).</summary>
    public static bool TryInsertRateOption(byte[] buffer, ref int start, ref int length, int floor, uint rate, int maxIpLength = RateOption.MaxStampedIpLength)
    {
        var frame = buffer.AsSpan(start, length);
        var l3 = L3(frame, out var etherType);
        if (etherType != FlowExtractor.EtherTypeIpv4 || l3 < 0 || frame.Length < l3 + 20 || start - RateOption.Size < floor)
        {
            return false;
        }

        var ihl = (frame[l3] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(frame[(l3 + 2)..]);
        if (ihl < 20 || ihl + RateOption.Size > 60 || l3 + ihl > length || totalLength + RateOption.Size > maxIpLength)
        {
            return false; // no room in the header, or the packet would outgrow the link MTU: it goes on unstamped
        }

        var headerEnd = l3 + ihl;
        buffer.AsSpan(start, headerEnd).CopyTo(buffer.AsSpan(start - RateOption.Size));
        start -= RateOption.Size;
        length += RateOption.Size;
        var ip = buffer.AsSpan(start + l3, ihl + RateOption.Size);
        var option = ip[ihl..];
        option[0] = RateOption.Type;
        option[1] = RateOption.Size;
        option[2] = RateOption.Version;
        option[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(option[4..], rate);
        ip[0] = (byte)(0x40 | ((ihl + RateOption.Size) / 4));
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(totalLength + RateOption.Size));
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], HeaderChecksum(ip));
        return true;
    }

    public static ushort HeaderChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
