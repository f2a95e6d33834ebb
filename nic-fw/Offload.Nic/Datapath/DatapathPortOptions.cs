namespace Offload.Nic.Datapath;

/// <summary>One entry of <c>Datapath:Ports</c>: a datapath port number and the socket that carries its frames.</summary>
public sealed class DatapathPortOptions
{
    /// <summary>Datapath port number (1..65534); this is the <c>in_port</c> of its frames and the output(port) argument.</summary>
    public int No { get; set; }

    /// <summary>Port kind; <c>udp</c> (one Ethernet frame per datagram, QEMU <c>-netdev dgram</c>) is supported.</summary>
    public string Kind { get; set; } = "udp";

    /// <summary>Local endpoint the port receives on, <c>host:port</c>.</summary>
    public string Listen { get; set; } = "";

    /// <summary>Remote endpoint frames are sent to, <c>host:port</c>.</summary>
    public string Peer { get; set; } = "";
}
