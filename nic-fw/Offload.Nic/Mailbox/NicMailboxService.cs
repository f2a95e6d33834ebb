using Microsoft.Extensions.Hosting;
using Offload.Contracts.Mailbox;

namespace Offload.Nic.Mailbox;

/// <summary>
/// Runs the mailbox device end for the life of nic-fw. Startup waits until the listener is bound, so a bad or busy
/// endpoint stops the process at once with the endpoint named.
/// </summary>
internal sealed class NicMailboxService(MailboxDevice device) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _running = device.RunAsync(_stopping.Token);
        try
        {
            await device.Listening.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new InvalidOperationException(
                $"Mailbox:Endpoint: cannot listen on {device.Endpoint}: {ex.Message}. Choose a free endpoint (for example --Mailbox:Endpoint=tcp://127.0.0.1:7421).", ex);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_running is not null)
        {
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }
}
