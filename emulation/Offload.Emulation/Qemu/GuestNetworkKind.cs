namespace Offload.Emulation.Qemu;

/// <summary>Which QEMU netdev backs the guest's virtio-net NIC.</summary>
public enum GuestNetworkKind
{
    /// <summary>Slirp user networking: guest 10.0.2.15/24, host reachable at 10.0.2.2.</summary>
    User,

    /// <summary><c>-netdev stream</c>: frames over TCP, each with a 4-byte big-endian length prefix.</summary>
    Stream,

    /// <summary><c>-netdev dgram</c>: one frame per UDP datagram.</summary>
    Datagram,
}
