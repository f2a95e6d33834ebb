using System.Net;
using Microsoft.Extensions.Hosting;

namespace Offload.Nic.Nvme;

/// <summary>Runs the NVMe/TCP target for the life of nic-fw: binds at start (a busy port stops the process with the
/// endpoint named), disconnects every queue pair at stop.</summary>
internal sealed class NvmeTargetService(NvmeTcpTarget target, IPEndPoint listen) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            target.Start(listen);
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new InvalidOperationException(
                $"Nvme:Listen: cannot listen on {listen}: {ex.Message}. Choose a free address (for example --Nvme:Listen=0.0.0.0:4420).", ex);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await target.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
}
