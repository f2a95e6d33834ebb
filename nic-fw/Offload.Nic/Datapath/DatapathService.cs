using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Nic.Datapath.Port;

namespace Offload.Nic.Datapath;

/// <summary>
/// Opens the configured ports, runs the datapath's adaptive <see cref="PollLoop"/> (spin, yield, then park on the sockets: ~0% CPU when idle)
/// on its own thread, and drains upcalls onto the mailbox (every established session, normally the local offloadd).
/// With no ports configured it does nothing.
/// </summary>
internal sealed partial class DatapathService(
    NicDatapath datapath, IOptions<NicDatapathOptions> options, MailboxDevice device, ILogger<DatapathService> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private PollLoop? _loop;
    private Task _poll = Task.CompletedTask;
    private Task _upcalls = Task.CompletedTask;
    private long _upcallsSent;

    /// <summary>Upcalls handed to the mailbox (broadcast to the established sessions; none established: not delivered, the held packets time out).</summary>
    public long UpcallsSent => Interlocked.Read(ref _upcallsSent);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var ports = options.Value.Ports;
        if (ports.Count == 0)
        {
            return Task.CompletedTask;
        }

        var sockets = new List<Socket>(ports.Count);
        foreach (var port in ports)
        {
            var socket = Open(port);
            sockets.Add(socket);
            datapath.Switch.AddPort(new PortNo((ushort)port.No), Ports.FromDatagramSocket(socket));
            LogPort(logger, port.No, port.Kind, port.Listen, port.Peer);
        }

        _loop = new PollLoop(datapath.Switch, sockets);
        datapath.CommandQueued = _loop.Wake;
        _poll = _loop.RunAsync(_stopping.Token);
        _upcalls = Task.Run(() => DrainUpcallsAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_poll, _upcalls).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _loop?.Dispose();
    }

    /// <summary>Binds and connects the port's socket; throws with the option named when the entry is unusable.</summary>
    internal static Socket Open(DatapathPortOptions port)
    {
        if (!string.Equals(port.Kind, "udp", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Datapath:Ports: port {port.No} has kind '{port.Kind}'; only 'udp' is supported. Set \"kind\": \"udp\".");
        }

        if (port.No is < 1 or >= 0xFFFF)
        {
            throw new InvalidOperationException($"Datapath:Ports: port number {port.No} is out of range; use 1..65534.");
        }

        if (!IPEndPoint.TryParse(port.Listen, out var listen) || !IPEndPoint.TryParse(port.Peer, out var peer) || listen.Port == 0 || peer.Port == 0)
        {
            throw new InvalidOperationException(
                $"Datapath:Ports: port {port.No} needs 'listen' and 'peer' as ip:port (got '{port.Listen}' and '{port.Peer}'), for example 127.0.0.1:5001.");
        }

        var socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(listen);
            socket.Connect(peer);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new InvalidOperationException($"Datapath:Ports: port {port.No} cannot use listen {listen} / peer {peer}: {ex.Message}. Choose a free local address.", ex);
        }
    }

    /// <summary>Sends queued upcalls to the mailbox until cancelled (also used by the upcall-path benchmark).</summary>
    internal async Task DrainUpcallsAsync(CancellationToken cancellationToken)
    {
        var reader = datapath.Upcalls.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var miss))
                {
                    await device.BroadcastAsync(miss, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _upcallsSent);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Datapath port {PortNo}: {Kind} listen {Listen} peer {Peer}")]
    private static partial void LogPort(ILogger logger, int portNo, string kind, string listen, string peer);
}
