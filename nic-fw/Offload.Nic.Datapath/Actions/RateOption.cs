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

    /// <summary>The standard Ethernet MTU: a port's MTU unless configured otherwise, and the largest IPv4 packet (total
    /// length) the option is added to when no output port follows the stamp. The option must not grow a packet past
    /// the MTU of the port it leaves by (a full-size TCP segment with DF set would be dropped by the receiver or the next
    /// hop, a black hole for the flow's bulk data): full-size packets go on unstamped, and the flow's smaller packets
    /// (ACKs, requests, capsules) carry the rate. A jumbo-frame port (MTU 9,000) lets 1,500-byte packets carry it too.</summary>
    public const int MaxStampedIpLength = 1500;

    /// <summary>Smallest port MTU accepted (the IPv4 minimum, RFC 791).</summary>
    public const int MinMtu = 68;

    /// <summary>Largest port MTU accepted (the usual jumbo-frame ceiling).</summary>
    public const int MaxMtu = 9216;

    /// <summary>Bytes of a frame outside its IP packet at most: an Ethernet header and two VLAN tags.</summary>
    public const int FrameOverhead = 22;

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
