using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Offload.Nic.Datapath.Port;

/// <summary>Factories for the port implementations.</summary>
public static class Ports
{
    /// <summary>
    /// Creates (or attaches to) TAP interface <paramref name="name"/> via /dev/net/tun with IFF_TAP|IFF_NO_PI
    /// (Linux Documentation/networking/tuntap.rst). Needs CAP_NET_ADMIN.
    /// </summary>
    public static unsafe IPort OpenTap(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Encoding.ASCII.GetByteCount(name) > 15)
        {
            throw new ArgumentException($"TAP name '{name}' is longer than 15 bytes (IFNAMSIZ-1); choose a shorter name.", nameof(name));
        }

        var fd = LibC.Open("/dev/net/tun", LibC.ORdWr | LibC.ONonBlock | LibC.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"Cannot open /dev/net/tun (errno {Marshal.GetLastPInvokeError()}); the LOCAL port needs CAP_NET_ADMIN and the tun module.");
        }

        var ifreq = stackalloc byte[40];
        new Span<byte>(ifreq, 40).Clear();
        Encoding.ASCII.GetBytes(name, new Span<byte>(ifreq, 16));
        *(short*)(ifreq + 16) = LibC.IffTap | LibC.IffNoPi;
        if (LibC.Ioctl(fd, LibC.TunSetIff, ifreq) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            LibC.Close(fd);
            throw new IOException($"TUNSETIFF for TAP '{name}' failed (errno {errno}); check CAP_NET_ADMIN and that the name is not a non-TAP device.");
        }

        return new FileDescriptorPort(name, fd);
    }

    /// <summary>Opens an AF_PACKET raw socket bound to interface <paramref name="interfaceName"/> (packet(7)). Needs CAP_NET_RAW.</summary>
    public static unsafe IPort OpenPacketSocket(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        var index = LibC.IfNameToIndex(interfaceName);
        if (index == 0)
        {
            throw new IOException($"Interface '{interfaceName}' does not exist; create it or fix the port configuration.");
        }

        var fd = LibC.Socket(LibC.AfPacket, LibC.SockRaw | LibC.SockNonBlock, LibC.EthPAllNetworkOrder);
        if (fd < 0)
        {
            throw new IOException($"Cannot open an AF_PACKET socket for '{interfaceName}' (errno {Marshal.GetLastPInvokeError()}); it needs CAP_NET_RAW.");
        }

        // struct sockaddr_ll { u16 family; be16 protocol; s32 ifindex; u16 hatype; u8 pkttype; u8 halen; u8 addr[8]; }
        var address = stackalloc byte[20];
        new Span<byte>(address, 20).Clear();
        *(ushort*)address = LibC.AfPacket;
        *(ushort*)(address + 2) = LibC.EthPAllNetworkOrder;
        *(int*)(address + 4) = (int)index;
        if (LibC.Bind(fd, address, 20) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            LibC.Close(fd);
            throw new IOException($"Cannot bind AF_PACKET socket to '{interfaceName}' (errno {errno}).");
        }

        return new PacketSocketPort(interfaceName, fd);
    }

    /// <summary>Wraps a connected stream socket speaking QEMU's <c>-netdev stream</c> framing (4-byte big-endian length per frame).</summary>
    public static IPort FromStreamSocket(Socket connected, string? name = null, int maxFrameSize = 2048)
    {
        ArgumentNullException.ThrowIfNull(connected);
        return new StreamSocketPort(connected, name ?? connected.RemoteEndPoint?.ToString() ?? "stream", maxFrameSize);
    }

    /// <summary>
    /// Listens on <paramref name="endPoint"/> (TCP or Unix) and returns the first connection as a port, e.g. for
    /// <c>qemu ... -netdev stream,id=n0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=PORT</c>.
    /// </summary>
    public static async Task<IPort> AcceptStreamAsync(EndPoint endPoint, CancellationToken cancellationToken, int maxFrameSize = 2048)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var protocol = endPoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        using var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, protocol);
        listener.Bind(endPoint);
        listener.Listen(1);
        var connection = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        return new StreamSocketPort(connection, connection.RemoteEndPoint?.ToString() ?? endPoint.ToString() ?? "stream", maxFrameSize);
    }

    /// <summary>
    /// A stream port that listens on <paramref name="endPoint"/> (TCP, or a Unix socket path; a stale socket file is
    /// replaced) for QEMU's <c>-netdev stream,server=off,addr.type=unix,addr.path=PATH</c> (or <c>addr.type=inet</c>).
    /// It accepts one peer at a time and the next one when that peer goes away. Returns at once; the poll thread accepts.
    /// </summary>
    public static IPort ListenStream(EndPoint endPoint, string? name = null, int maxFrameSize = 2048)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return new ListeningStreamPort(endPoint, name ?? $"stream:{endPoint}", maxFrameSize);
    }

    /// <summary>
    /// A UDP port for QEMU's <c>-netdev dgram,local.type=inet,...,remote.type=inet,...</c> (or legacy
    /// <c>-netdev socket,udp=REMOTE,localaddr=LOCAL</c>): one frame per datagram.
    /// </summary>
    public static IPort OpenDatagram(IPEndPoint local, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(local);
        socket.Connect(remote);
        socket.Blocking = false;
        return new DatagramSocketPort(socket, $"udp:{local}->{remote}");
    }

    /// <summary>
    /// A datagram port over a socket the caller has bound and connected (the caller keeps it for readiness waits,
    /// for example <see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>
    /// while idle). The port sets it non-blocking and disposes it.
    /// </summary>
    public static IPort FromDatagramSocket(Socket connected, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(connected);
        connected.Blocking = false;
        return new DatagramSocketPort(connected, name ?? $"udp:{connected.LocalEndPoint}->{connected.RemoteEndPoint}");
    }
}
