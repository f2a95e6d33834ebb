using System.Globalization;

namespace Offload.Emulation.Qemu;

/// <summary>The guest NIC's backend plus the address /init gives eth0.</summary>
public sealed record GuestNetwork
{
    private GuestNetwork(GuestNetworkKind kind, string guestAddress, string gateway)
    {
        Kind = kind;
        GuestAddress = guestAddress;
        Gateway = gateway;
    }

    /// <summary>The netdev type.</summary>
    public GuestNetworkKind Kind { get; }

    /// <summary>Address/prefix for eth0 (kernel cmdline <c>offload.ip=</c>).</summary>
    public string GuestAddress { get; init; }

    /// <summary>Default gateway, or "none" (kernel cmdline <c>offload.gw=</c>).</summary>
    public string Gateway { get; init; }

    /// <summary>Stream: true when this QEMU listens; false when it connects.</summary>
    public bool IsServer { get; private init; }

    /// <summary>Stream: the TCP port to listen on or connect to. Datagram: the remote UDP port.</summary>
    public int Port { get; private init; }

    /// <summary>Datagram: the local UDP port this QEMU binds.</summary>
    public int LocalPort { get; private init; }

    /// <summary>Stream: a Unix socket path instead of a TCP port (null: TCP on <see cref="SocketHost"/>).</summary>
    public string? SocketPath { get; private init; }

    /// <summary>Loopback host used for stream/dgram sockets.</summary>
    public string SocketHost { get; init; } = "127.0.0.1";

    /// <summary>Slirp user networking (the default): 10.0.2.15/24 via 10.0.2.2.</summary>
    public static GuestNetwork User() => new(GuestNetworkKind.User, "10.0.2.15/24", "10.0.2.2");

    /// <summary>QEMU listens on <paramref name="port"/> for the peer (another QEMU or a switch port).</summary>
    public static GuestNetwork StreamServer(int port, string guestAddress) =>
        new(GuestNetworkKind.Stream, guestAddress, "none") { IsServer = true, Port = port };

    /// <summary>QEMU connects to <paramref name="port"/> (another QEMU's stream server or a switch port).</summary>
    public static GuestNetwork StreamClient(int port, string guestAddress) =>
        new(GuestNetworkKind.Stream, guestAddress, "none") { IsServer = false, Port = port };

    /// <summary>QEMU connects to the Unix socket <paramref name="path"/> (for example a nic-fw <c>stream</c> switch port).</summary>
    public static GuestNetwork UnixStreamClient(string path, string guestAddress) =>
        new(GuestNetworkKind.Stream, guestAddress, "none") { IsServer = false, SocketPath = path };

    /// <summary>QEMU binds <paramref name="localPort"/> and sends frames to <paramref name="remotePort"/>.</summary>
    public static GuestNetwork Datagram(int localPort, int remotePort, string guestAddress) =>
        new(GuestNetworkKind.Datagram, guestAddress, "none") { LocalPort = localPort, Port = remotePort };

    /// <summary>The <c>-netdev</c> argument value for netdev id <paramref name="id"/>.</summary>
    public string ToNetdevArgument(string id) => Kind switch
    {
        GuestNetworkKind.User => $"user,id={id}",
        GuestNetworkKind.Stream when SocketPath is not null =>
            $"stream,id={id},server={(IsServer ? "on" : "off")},addr.type=unix,addr.path={SocketPath}",
        GuestNetworkKind.Stream => string.Create(
            CultureInfo.InvariantCulture,
            $"stream,id={id},server={(IsServer ? "on" : "off")},addr.type=inet,addr.host={SocketHost},addr.port={Port}"),
        GuestNetworkKind.Datagram => string.Create(
            CultureInfo.InvariantCulture,
            $"dgram,id={id},local.type=inet,local.host={SocketHost},local.port={LocalPort},remote.type=inet,remote.host={SocketHost},remote.port={Port}"),
        _ => throw new InvalidOperationException($"Unknown guest network kind {Kind}."),
    };
}
