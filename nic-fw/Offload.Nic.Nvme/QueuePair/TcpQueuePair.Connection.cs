using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>Per-connection (5-tuple flow) counters, updated next to the controller's per-application ones.</summary>
internal sealed partial class TcpQueuePair
{
    private readonly ConnectionCounters _connection;

    /// <summary>Makes this connection visible to the target's telemetry sweep under its controller and queue (at a
    /// successful Connect), with its 5-tuple read once while the socket is open.</summary>
    private void DescribeConnection(NvmeController controller)
    {
        if (!_connection.HasEndpoints && _socket is { } socket)
        {
            try
            {
                _connection.SetEndpoints(socket.LocalEndPoint, socket.RemoteEndPoint);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // Closing: the record keeps an empty 5-tuple for its last window.
            }
        }

        _connection.Describe(controller.App, controller.Id, QueueId);
    }
}
