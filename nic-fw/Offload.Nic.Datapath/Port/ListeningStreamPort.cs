using System.Net;
using System.Net.Sockets;

namespace Offload.Nic.Datapath.Port;

/// <summary>
/// The switch side of QEMU's <c>-netdev stream,server=off,...</c>: the port listens (TCP or Unix socket) and the guest's
/// QEMU connects as the client. Frames use the stream framing of <see cref="StreamSocketPort"/>. One peer at a time:
/// when it goes away (guest powered off, QEMU killed) the port accepts the next one, so a restarted guest plugs back
/// into the same switch port. While no peer is connected, transmitted frames are refused (the datapath counts them as
/// <see cref="DropReason.QueueFull"/>). Accepting happens on the poll thread, non-blocking.
/// </summary>
internal sealed class ListeningStreamPort : IPort, IPollablePort
{
    private readonly Socket _listener;
    private readonly int _listenerDescriptor;
    private readonly int _maxFrameSize;
    private readonly string? _unixPath;
    private StreamSocketPort? _connection;

    public ListeningStreamPort(EndPoint endPoint, string name, int maxFrameSize)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint is UnixDomainSocketEndPoint unix)
        {
            _unixPath = unix.ToString();
            RemoveStaleSocket(_unixPath);
        }

        var protocol = endPoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, protocol);
        try
        {
            if (protocol == ProtocolType.Tcp)
            {
                _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            _listener.Bind(endPoint);
            _listener.Listen(4);
            _listener.Blocking = false;
        }
        catch
        {
            _listener.Dispose();
            throw;
        }

        _listenerDescriptor = (int)_listener.Handle;
        _maxFrameSize = maxFrameSize;
        Name = name;
        LocalEndPoint = _listener.LocalEndPoint!;
    }

    public string Name { get; }

    /// <summary>Where the port listens (with the actual port number when 0 was configured).</summary>
    public EndPoint LocalEndPoint { get; }

    /// <summary>Peers accepted so far.</summary>
    public long Connections { get; private set; }

    /// <summary>True while a peer is connected.</summary>
    public bool IsConnected => _connection is { IsBroken: false };

    public int ReadinessDescriptor => IsConnected ? _connection!.ReadinessDescriptor : _listenerDescriptor;

    public int ReceiveBurst(FrameBatch batch)
    {
        if (!IsConnected && !TryAccept())
        {
            return 0;
        }

        return _connection!.ReceiveBurst(batch);
    }

    public int TransmitBurst(FrameBatch batch)
    {
        if (!IsConnected && !TryAccept())
        {
            return 0;
        }

        return _connection!.TransmitBurst(batch);
    }

    public void Dispose()
    {
        _connection?.Dispose();
        _listener.Dispose();
        if (_unixPath is not null)
        {
            RemoveStaleSocket(_unixPath);
        }
    }

    private bool TryAccept()
    {
        // Poll first: Accept on a non-blocking listener with nothing pending throws, and this runs every poll while
        // no peer is connected.
        if (!_listener.Poll(0, SelectMode.SelectRead))
        {
            return false;
        }

        Socket accepted;
        try
        {
            accepted = _listener.Accept();
        }
        catch (SocketException)
        {
            return false; // the peer gave up between poll and accept
        }

        _connection?.Dispose();
        _connection = new StreamSocketPort(accepted, Name, _maxFrameSize);
        Connections++;
        return true;
    }

    private static void RemoveStaleSocket(string path)
    {
        try
        {
            if (File.Exists(path) && (File.GetAttributes(path) & FileAttributes.Directory) == 0)
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
            // bind reports the problem with the path
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
