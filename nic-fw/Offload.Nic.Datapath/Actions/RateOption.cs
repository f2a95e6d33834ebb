namespace Offload.Nic.Datapath.Actions;

/// <summary>
/// In-band rate advertisement: an IPv4 option of the experimental type 0x9E (copy=1, class=0, number=30;
/// RFC 4727 section 2.1 / RFC 3692 experimental value), 8 bytes:
/// <c>9E 08 01 00 RR RR RR RR</c> = type, length 8, version 1 (unit: memory requests per second), reserved 0,
/// rate as a 32-bit big-endian unsigned integer. It is appended after any existing options; IHL grows by 2,
/// total length by 8, and the header checksum is recomputed. TCP/UDP checksums are unaffected (the
/// pseudo-header has no options). Receivers that do not know the option ignore it (RFC 1122 3.2.1.8).
/// </summary>
public static class RateOption
{
    /// <summary>Option type byte.</summary>
    public const byte Type = 0x9E;

    /// <summary>Option length in bytes (including type and length).</summary>
    public const byte Size = 8;

    /// <summary>Largest IPv4 packet (total length) the option is added to: the option must not grow a packet past the
    /// standard 1,500-byte Ethernet MTU (a full-size TCP segment with DF set would be dropped by the receiver or the
    /// next hop, a black hole for the flow's bulk data). Full-size packets go on unstamped; the flow's smaller packets
    /// (ACKs, requests, capsules) carry the rate. Not yet per port (jumbo-frame links could allow 9,000).</summary>
    public const int MaxStampedIpLength = 1500;

    /// <summary>Encoding version / unit byte.</summary>
    public const byte Version = 1;

    /// <summary>Finds the option in an IPv4 header and returns its rate.</summary>
    public static bool TryRead(ReadOnlySpan<byte> ipv4Header, out uint rate)
    {
        rate = 0;
        if (ipv4Header.Length < 20)
        {
            return false;
        }

        var ihl = (ipv4Header[0] & 0x0F) * 4;
        if (ihl > ipv4Header.Length)
        {
            return false;
        }

        var i = 20;
        while (i < ihl)
        {
            var type = ipv4Header[i];
            if (type == 0)
            {
                return false;
            }

            if (type == 1)
            {
                i++;
                continue;
            }

            if (i + 1 >= ihl || ipv4Header[i + 1] < 2 || i + ipv4Header[i + 1] > ihl)
            {
                return false;
            }

            if (type == Type && ipv4Header[i + 1] == Size)
            {
                rate = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ipv4Header[(i + 4)..]);
                return true;
            }

            i += ipv4Header[i + 1];
        }

        return false;
    }
}
