using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>Per-connection (5-tuple flow) counters, updated next to the controller's per-application ones.</summary>
internal sealed partial class TcpQueuePair
{
    private readonly ConnectionCounters _connection;

    /// <summary>Makes this connection visible to the target's telemetry sweep under its controller and queue (at a
    /// successful Connect), with its 5-tuple.</summary>
    private void DescribeConnection(NvmeController controller)
    {
        _ = Connection; // the 5-tuple, while the socket is open
        _connection.Describe(controller.App, controller.Id, QueueId);
    }

    /// <summary>This connection's cumulative counters; its 5-tuple is filled on first use.</summary>
    internal ConnectionCounters Connection
    {
        get
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

            return _connection;
        }
    }
}
