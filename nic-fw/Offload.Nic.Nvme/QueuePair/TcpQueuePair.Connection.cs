using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>Per-connection (5-tuple flow) counters, updated next to the controller's per-application ones.</summary>
internal sealed partial class TcpQueuePair
{
    private readonly ConnectionCounters _connection = new();

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
