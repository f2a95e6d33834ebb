namespace Offload.Nic.Datapath;

/// <summary>What carries a configured port's frames (<see cref="DatapathPortOptions.Kind"/>).</summary>
internal enum DatapathPortKind
{
    /// <summary>Unknown kind (configuration error).</summary>
    None,

    /// <summary>UDP, one frame per datagram (<c>udp</c> or <c>dgram</c>).</summary>
    Datagram,

    /// <summary>Listening stream socket with 4-byte length prefixes (<c>stream</c>).</summary>
    Stream,

    /// <summary>TAP device (<c>tap</c>).</summary>
    Tap,

    /// <summary>AF_PACKET raw socket (<c>afpacket</c>).</summary>
    PacketSocket,
}
