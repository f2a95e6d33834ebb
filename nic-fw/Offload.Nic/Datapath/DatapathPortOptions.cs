namespace Offload.Nic.Datapath;

/// <summary>
/// One entry of <c>Datapath:Ports</c>: a datapath port number and what carries its frames.
/// <list type="bullet">
/// <item><c>udp</c> (alias <c>dgram</c>): one Ethernet frame per datagram; <see cref="Listen"/> and <see cref="Peer"/> are
/// <c>ip:port</c> (QEMU <c>-netdev dgram,local.*=PEER,remote.*=LISTEN</c>).</item>
/// <item><c>stream</c>: QEMU <c>-netdev stream</c> framing (4-byte big-endian length per frame). nic-fw listens on
/// <see cref="Listen"/> (<c>unix:/path</c> or <c>ip:port</c>) and QEMU connects with <c>server=off</c>.</item>
/// <item><c>tap</c>: a TAP device <see cref="Interface"/> (/dev/net/tun, IFF_TAP|IFF_NO_PI), the NIC's LOCAL port.
/// Needs CAP_NET_ADMIN.</item>
/// <item><c>afpacket</c>: an AF_PACKET raw socket bound to the existing interface <see cref="Interface"/>. Needs CAP_NET_RAW.</item>
/// </list>
/// </summary>
public sealed class DatapathPortOptions
{
    /// <summary>Datapath port number (1..65534); this is the <c>in_port</c> of its frames and the output(port) argument.</summary>
    public int No { get; set; }

    /// <summary>Port kind: <c>udp</c>, <c>dgram</c>, <c>stream</c>, <c>tap</c> or <c>afpacket</c>.</summary>
    public string Kind { get; set; } = "udp";

    /// <summary>udp/dgram: the local <c>ip:port</c> the port receives on. stream: <c>unix:/path</c> or <c>ip:port</c> to listen on.</summary>
    public string Listen { get; set; } = "";

    /// <summary>udp/dgram: the remote <c>ip:port</c> frames are sent to.</summary>
    public string Peer { get; set; } = "";

    /// <summary>tap: the TAP device name (created if absent, at most 15 bytes). afpacket: the interface to bind.</summary>
    public string Interface { get; set; } = "";

    /// <summary>The port's MTU: the largest IP packet it carries (68..9216, default 1500). A rate advertisement never
    /// grows a packet past the MTU of the port it leaves by; a jumbo-frame port (9000) lets full-size 1,500-byte
    /// packets carry it too. The datapath's frame buffers grow to the largest port's MTU.</summary>
    public int Mtu { get; set; } = Offload.Nic.Datapath.Actions.RateOption.MaxStampedIpLength;
}
