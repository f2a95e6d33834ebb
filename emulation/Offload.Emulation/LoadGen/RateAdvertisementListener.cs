using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Offload.Nic.Datapath.Actions;

namespace Offload.Emulation.LoadGen;

/// <summary>
/// Reads the datapath's in-band rate advertisement (IPv4 option 0x9E, docs/PROTOCOL.md) on the packets arriving for one
/// TCP connection of the load generator and reports each new rate (memory requests per second), so the generator can
/// pace itself: <c>new RateAdvertisementListener(local, remote, rate =&gt; runtime.SetTargetRate(rate))</c>.
/// The stock TCP stack strips IP options before the application sees data, so this listens on a raw IPv4 TCP socket
/// (a copy of every incoming TCP segment, IP header included; needs CAP_NET_RAW) and keeps the segments of the
/// connection (<paramref name="remote"/> → <paramref name="local"/>).
/// </summary>
public sealed class RateAdvertisementListener : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _local;
    private readonly IPEndPoint _remote;
    private readonly Action<uint> _onRate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _segments;
    private long _advertisements;
    private long _lastRate = -1;

    /// <param name="local">The load generator's end of the connection (IPv4).</param>
    /// <param name="remote">The target's end (IPv4).</param>
    /// <param name="onRate">Called on the listener's task with each rate that differs from the previous one.</param>
    public RateAdvertisementListener(IPEndPoint local, IPEndPoint remote, Action<uint> onRate)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(onRate);
        if (local.AddressFamily != AddressFamily.InterNetwork || remote.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("The rate advertisement is an IPv4 option; give IPv4 endpoints.", nameof(local));
        }

        _local = local;
        _remote = remote;
        _onRate = onRate;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Tcp);
        EnlargeReceiveBuffer(_socket);
        _loop = Task.Run(() => ReceiveAsync(_stop.Token));
    }

    /// <summary>Bytes of receive buffer asked for: a raw TCP socket gets a copy of every TCP segment on the host,
    /// so next to an NVMe/TCP flow at GB/s the default (net.core.rmem_default, ~208 KiB) overflows in a few segments
    /// and this connection's segments are dropped with the rest.</summary>
    public const int ReceiveBufferBytes = 16 * 1024 * 1024;

    private static void EnlargeReceiveBuffer(Socket socket)
    {
        const int SolSocket = 1, SoRcvBufForce = 33; // Linux; FORCE passes net.core.rmem_max (root, as raw sockets are)
        try
        {
            Span<byte> value = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(value, ReceiveBufferBytes);
            socket.SetRawSocketOption(SolSocket, SoRcvBufForce, value);
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = ReceiveBufferBytes; // capped by net.core.rmem_max
        }
    }

    /// <summary>Segments of the connection seen.</summary>
    public long Segments => Interlocked.Read(ref _segments);

    /// <summary>Segments that carried the option.</summary>
    public long Advertisements => Interlocked.Read(ref _advertisements);

    /// <summary>The last advertised rate, or null before the first.</summary>
    public uint? LastRate => Interlocked.Read(ref _lastRate) is var r and >= 0 ? (uint)r : null;

    /// <summary>Checks one received IPv4 packet; the rate when it is a segment of this connection with the option.</summary>
    internal bool TryAccept(ReadOnlySpan<byte> packet, out uint rate)
    {
        rate = 0;
        if (packet.Length < 20 || (packet[0] >> 4) != 4 || packet[9] != (byte)ProtocolType.Tcp)
        {
            return false;
        }

        var ihl = (packet[0] & 0x0F) * 4;
        if (ihl < 20 || packet.Length < ihl + 4
            || !Matches(packet[12..16], _remote.Address) || !Matches(packet[16..20], _local.Address)
            || BinaryPrimitives.ReadUInt16BigEndian(packet[ihl..]) != _remote.Port
            || BinaryPrimitives.ReadUInt16BigEndian(packet[(ihl + 2)..]) != _local.Port)
        {
            return false;
        }

        Interlocked.Increment(ref _segments);
        return RateOption.TryRead(packet[..ihl], out rate);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the receive loop ends with the socket
        }

        _stop.Dispose();
    }

    private static bool Matches(ReadOnlySpan<byte> address, IPAddress expected)
    {
        Span<byte> bytes = stackalloc byte[4];
        return expected.TryWriteBytes(bytes, out _) && address.SequenceEqual(bytes);
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        while (!cancellationToken.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (TryAccept(buffer.AsSpan(0, n), out var rate))
            {
                Interlocked.Increment(ref _advertisements);
                if (Interlocked.Exchange(ref _lastRate, rate) != rate)
                {
                    _onRate(rate);
                }
            }
        }
    }
}
