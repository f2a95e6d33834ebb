using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Nic.Datapath.Actions;
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

        foreach (var application in options.Value.Applications)
        {
            var id = new AppId((ushort)application.Id);
            datapath.Switch.SetApplicationCongested(id, application.Congested);
            datapath.Switch.SetAdvertisedRate(id, application.AdvertisedRate);
        }

        var opened = new List<IPort>(ports.Count);
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var port = ports[i];
                var open = DatapathPortOpener.Open(port, i);
                opened.Add(open);
                datapath.Switch.AddPort(new PortNo((ushort)port.No), open, port.Mtu);
                LogPort(logger, port.No, port.Kind, open.Name, port.Mtu);
            }
        }
        catch
        {
            foreach (var port in opened)
            {
                port.Dispose();
            }

            throw;
        }

        _loop = new PollLoop(datapath.Switch, opened);
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

    /// <summary>Sends queued upcalls to the mailbox until cancelled (also used by the upcall-path benchmark).</summary>
    internal async Task DrainUpcallsAsync(CancellationToken cancellationToken)
    {
        var queue = datapath.Upcalls;
        var message = new UpcallMessage(); // reused: the mailbox serialises it before BroadcastAsync completes
        try
        {
            while (await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (queue.TryRead(message))
                {
                    await device.BroadcastAsync(message, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _upcallsSent);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Datapath port {PortNo}: {Kind} {Name}, MTU {Mtu}")]
    private static partial void LogPort(ILogger logger, int portNo, string kind, string name, int mtu);
}
