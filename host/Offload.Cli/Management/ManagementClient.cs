using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Offload.Contracts.Management;

namespace Offload.Cli.Management;

/// <summary>
/// JSON-over-HTTP client for offloadd's management API on its Unix domain socket. Connection failures become
/// <see cref="DaemonUnreachableException"/>, error answers <see cref="ManagementApiException"/>.
/// </summary>
/// <remarks>One instance per command invocation; not shared between threads.</remarks>
internal sealed partial class ManagementClient : IDisposable
{
    /// <summary>How long one request may take, connect included.</summary>
    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;

    public ManagementClient(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            ConnectTimeout = RequestTimeout,
            UseProxy = false,
        };
        _http = new HttpClient(handler, disposeHandler: true)
        {
            // The host name is not used for routing; it only fills the Host header.
            BaseAddress = new Uri("http://offloadd/"),
            Timeout = RequestTimeout,
        };
    }

    /// <summary>Path of the management socket this client talks to.</summary>
    public string SocketPath { get; }

    /// <summary><c>GET /v1/status</c>.</summary>
    public async Task<StatusDocument> GetStatusAsync(CancellationToken cancellationToken)
    {
        var status = await GetAsync(ManagementApi.StatusRoute, ManagementJsonContext.Default.StatusDocument, cancellationToken);
        if (!string.Equals(status.Schema, ManagementApi.StatusSchema, StringComparison.Ordinal))
        {
            throw new ManagementApiException(
                $"offloadd answered with schema '{status.Schema}', but this offloadctl understands '{ManagementApi.StatusSchema}'; install matching offloadctl and offloadd versions",
                0);
        }

        return status;
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string route, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(new Uri(route.TrimStart('/'), UriKind.Relative), HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw Classify(ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DaemonUnreachableException(UnreachableReason.Timeout, SocketPath, ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ManagementApiException(DescribeError(route, (int)response.StatusCode, body), (int)response.StatusCode);
            }

            try
            {
                return JsonSerializer.Deserialize(body, typeInfo)
                    ?? throw new ManagementApiException($"offloadd answered GET {route} with an empty document", 0);
            }
            catch (JsonException ex)
            {
                throw new ManagementApiException($"offloadd answered GET {route} with malformed JSON: {ex.Message}", ex);
            }
        }
    }

    private static string DescribeError(string route, int statusCode, byte[] body)
    {
        try
        {
            var error = JsonSerializer.Deserialize(body, ManagementJsonContext.Default.ErrorDocument);
            if (error is { Message.Length: > 0 })
            {
                return error.Message;
            }
        }
        catch (JsonException)
        {
            // Not an error document; fall through to the generic line.
        }

        return $"offloadd answered GET {route} with HTTP {statusCode}";
    }

    private DaemonUnreachableException Classify(HttpRequestException exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                var reason = socket.SocketErrorCode switch
                {
                    SocketError.AccessDenied => UnreachableReason.PermissionDenied,
                    SocketError.ConnectionRefused or SocketError.AddressNotAvailable => UnreachableReason.NotRunning,
                    SocketError.TimedOut => UnreachableReason.Timeout,
                    _ => UnreachableReason.Other,
                };
                return new DaemonUnreachableException(reason, SocketPath, socket);
            }

            if (inner is UnauthorizedAccessException)
            {
                return new DaemonUnreachableException(UnreachableReason.PermissionDenied, SocketPath, inner);
            }
        }

        return new DaemonUnreachableException(UnreachableReason.Other, SocketPath, exception);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
