using System.Net.Http.Headers;
using System.Text.Json;
using Offload.Contracts.Management;

namespace Offload.Cli.Management;

/// <summary>Desired-state and rates routes.</summary>
internal sealed partial class ManagementClient
{
    /// <summary><c>GET /v1/state</c>.</summary>
    public Task<DesiredState> GetStateAsync(CancellationToken cancellationToken) =>
        GetAsync(ManagementApi.StateRoute, ManagementJsonContext.Default.DesiredState, cancellationToken);

    /// <summary><c>PUT /v1/state</c>: replace, based on <see cref="DesiredState.Revision"/> (409 when stale).</summary>
    public Task<StateChangeDocument> PutStateAsync(DesiredState state, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, ManagementApi.StateRoute, Json(state), ManagementJsonContext.Default.StateChangeDocument, cancellationToken);

    /// <summary><c>POST /v1/state/diff</c>.</summary>
    public Task<StateChangeDocument> DiffStateAsync(DesiredState state, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, ManagementApi.StateDiffRoute, Json(state), ManagementJsonContext.Default.StateChangeDocument, cancellationToken);

    /// <summary><c>GET /v1/rates</c>.</summary>
    public Task<RatesDocument> GetRatesAsync(CancellationToken cancellationToken) =>
        GetAsync(ManagementApi.RatesRoute, ManagementJsonContext.Default.RatesDocument, cancellationToken);

    private static ByteArrayContent Json(DesiredState state)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(state, ManagementJsonContext.Default.DesiredState));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
