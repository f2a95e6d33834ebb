namespace Offload.Nic.Datapath;

/// <summary>
/// Why the datapath dropped a packet. Every drop increments exactly one counter per reason
/// (<see cref="DropCounters"/>). Values are stable: they are reported in stats and over the mailbox.
/// </summary>
public enum DropReason
{
    /// <summary>Not dropped.</summary>
    None = 0,

    // --- malformed frames (parser), 1..31 ---
    /// <summary>Frame shorter than an Ethernet header (14 bytes).</summary>
    TruncatedEthernet = 1,
    /// <summary>802.1Q tag cut short.</summary>
    TruncatedVlan = 2,
    /// <summary>ARP body shorter than 28 bytes (Ethernet/IPv4 ARP).</summary>
    TruncatedArp = 3,
    /// <summary>Fewer than 20 bytes of IPv4 header.</summary>
    TruncatedIpv4 = 4,
    /// <summary>IPv4 IHL below 5 (RFC 791).</summary>
    Ipv4HeaderLengthTooSmall = 5,
    /// <summary>IPv4 IHL points beyond the frame.</summary>
    Ipv4HeaderLengthBeyondFrame = 6,
    /// <summary>IPv4 total length below IHL*4 or beyond the frame.</summary>
    Ipv4BadTotalLength = 7,
    /// <summary>IPv4 fragment (MF set or offset non-zero); fragments are not reassembled.</summary>
    Ipv4Fragment = 8,
    /// <summary>Fewer than 40 bytes of IPv6 header.</summary>
    TruncatedIpv6 = 9,
    /// <summary>IPv6 payload length beyond the frame.</summary>
    Ipv6BadPayloadLength = 10,
    /// <summary>IPv6 extension header cut short or chain too long.</summary>
    Ipv6BadExtensionHeader = 11,
    /// <summary>IPv6 Fragment extension header present.</summary>
    Ipv6Fragment = 12,
    /// <summary>TCP header cut short.</summary>
    TruncatedTcp = 13,
    /// <summary>TCP data offset below 5 (RFC 793).</summary>
    TcpDataOffsetTooSmall = 14,
    /// <summary>TCP data offset beyond the IP payload.</summary>
    TcpDataOffsetBeyondPayload = 15,
    /// <summary>UDP header cut short.</summary>
    TruncatedUdp = 16,
    /// <summary>UDP length below 8 or beyond the IP payload (RFC 768).</summary>
    UdpBadLength = 17,
    /// <summary>ICMP/ICMPv6 header cut short (RFC 792).</summary>
    TruncatedIcmp = 18,
    /// <summary>Frame larger than the datapath's frame slot.</summary>
    FrameTooLarge = 19,

    // --- datapath decisions, 32.. ---
    /// <summary>Explicit drop action or empty action list (no route).</summary>
    NoRoute = 32,
    /// <summary>Upcall rate limit exceeded.</summary>
    UpcallLimit = 33,
    /// <summary>Flow table full and nothing idle enough to evict.</summary>
    FlowLimit = 34,
    /// <summary>Meter drop band.</summary>
    Meter = 35,
    /// <summary>Per-source transmit byte budget exhausted.</summary>
    Budget = 36,
    /// <summary>A bounded queue (held-packet queue, upcall sink, port transmit ring) was full.</summary>
    QueueFull = 37,
    /// <summary>Held packet waited longer than the upcall timeout.</summary>
    UpcallTimeout = 38,
    /// <summary>Output to a port that does not exist.</summary>
    NoSuchPort = 39,
    /// <summary>A set_field action could not be applied (e.g. no headroom, not IPv4).</summary>
    ActionFailed = 40,
}
