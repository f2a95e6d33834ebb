using System.Net;
using System.Text.Json;
using Offload.Contracts.Management;

namespace Offload.Cli.Management;

/// <summary>The operator-view routes: nics, queues, live tenants, flows, logs, capture.</summary>
internal sealed partial class ManagementClient
{
    /// <summary><c>GET /v1/nics</c>.</summary>
    public async Task<NicsDocument> GetNicsAsync(CancellationToken cancellationToken) =>
        Check(await GetAsync(ManagementApi.NicsRoute, ManagementJsonContext.Default.NicsDocument, cancellationToken), static d => d.Schema, ManagementApi.NicsSchema);

    /// <summary><c>GET /v1/queues</c>.</summary>
    public async Task<ConnectionsDocument> GetConnectionsAsync(CancellationToken cancellationToken) =>
        Check(await GetAsync(ManagementApi.ConnectionsRoute, ManagementJsonContext.Default.ConnectionsDocument, cancellationToken), static d => d.Schema, ManagementApi.ConnectionsSchema);

    public async Task<QueuesDocument> GetQueuesAsync(CancellationToken cancellationToken) =>
        Check(await GetAsync(ManagementApi.QueuesRoute, ManagementJsonContext.Default.QueuesDocument, cancellationToken), static d => d.Schema, ManagementApi.QueuesSchema);

    /// <summary><c>GET /v1/tenants/live</c>.</summary>
    public async Task<LiveDocument> GetLiveAsync(CancellationToken cancellationToken) =>
        Check(await GetAsync(ManagementApi.LiveRoute, ManagementJsonContext.Default.LiveDocument, cancellationToken), static d => d.Schema, ManagementApi.LiveSchema);

    /// <summary><c>GET /v1/flows?...</c>; <paramref name="query"/> is already URL-encoded (may be empty).</summary>
    public async Task<FlowsDocument> GetFlowsAsync(string query, CancellationToken cancellationToken) =>
        Check(await GetAsync(ManagementApi.FlowsRoute + query, ManagementJsonContext.Default.FlowsDocument, cancellationToken), static d => d.Schema, ManagementApi.FlowsSchema);

    /// <summary><c>GET /v1/logs?...</c>.</summary>
    public async Task<LogsDocument> GetLogsAsync(string query, CancellationToken cancellationToken) =>
        Check(await GetAsync(ManagementApi.LogsRoute + query, ManagementJsonContext.Default.LogsDocument, cancellationToken), static d => d.Schema, ManagementApi.LogsSchema);

    /// <summary>
    /// <c>GET</c> of an optional route (for example another component's <c>/v1/datapath</c>): the parsed JSON, or null
    /// when offloadd does not serve it (404).
    /// </summary>
    public async Task<JsonDocument?> TryGetDocumentAsync(string route, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Get, route, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound || !response.IsSuccessStatusCode)
            {
                return null;
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>POST /v1/capture?...</c>: the open pcap stream (caller disposes the response), or an error document turned
    /// into <see cref="ManagementApiException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> StartCaptureAsync(string query, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Post, ManagementApi.CaptureRoute + query, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                throw new ManagementApiException(DescribeError(HttpMethod.Post, ManagementApi.CaptureRoute, (int)response.StatusCode, body), (int)response.StatusCode);
            }
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string route, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(route.TrimStart('/'), UriKind.Relative));
            return await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw Classify(ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DaemonUnreachableException(UnreachableReason.Timeout, SocketPath, ex);
        }
    }

    private static T Check<T>(T document, Func<T, string> schema, string expected) =>
        string.Equals(schema(document), expected, StringComparison.Ordinal)
            ? document
            : throw new ManagementApiException(
                $"offloadd answered with schema '{schema(document)}', but this offloadctl understands '{expected}'; install matching offloadctl and offloadd versions",
                0);
}
