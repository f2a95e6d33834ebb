using System.Net.Sockets;
using System.Text;

namespace Offload.Host.Tests.Cli.Management;

/// <summary>
/// A stand-in for offloadd on a Unix socket that answers every HTTP request with one canned response,
/// so tests can drive offloadctl through answers the real daemon does not give (errors, other schemas).
/// </summary>
internal sealed class SimulatedManagementServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public SimulatedManagementServer(string socketPath, int statusCode, string reason, string jsonBody)
    {
        var body = Encoding.UTF8.GetByteCount(jsonBody);
        _response = $"HTTP/1.1 {statusCode} {reason}\r\nContent-Type: application/json\r\nContent-Length: {body}\r\nConnection: close\r\n\r\n{jsonBody}";
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(8);
        _acceptLoop = AcceptLoopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var connection = await _listener.AcceptAsync(_stop.Token);
            var buffer = new byte[8192];
            var received = new StringBuilder();
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var count = await connection.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (count == 0)
                {
                    break;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, count));
            }

            await connection.SendAsync(Encoding.UTF8.GetBytes(_response), SocketFlags.None, _stop.Token);
            connection.Shutdown(SocketShutdown.Both);
        }
    }
}
