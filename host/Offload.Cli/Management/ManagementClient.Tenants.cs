using System.Text.Json.Serialization.Metadata;
using Offload.Contracts.Management;

namespace Offload.Cli.Management;

internal sealed partial class ManagementClient
{
    /// <summary><c>GET /v1/tenants/{tenant}/history</c>.</summary>
    public Task<HistoryDocument> GetHistoryAsync(string tenant, int count, CancellationToken cancellationToken) =>
        GetTenantAsync(TenantRoutes.HistoryRoute, tenant, count, TenantRoutes.HistorySchema, ManagementJsonContext.Default.HistoryDocument, static d => d.Schema, cancellationToken);

    /// <summary><c>GET /v1/tenants/{tenant}/explain</c>.</summary>
    public Task<ExplainDocument> GetExplainAsync(string tenant, int count, CancellationToken cancellationToken) =>
        GetTenantAsync(TenantRoutes.ExplainRoute, tenant, count, TenantRoutes.ExplainSchema, ManagementJsonContext.Default.ExplainDocument, static d => d.Schema, cancellationToken);

    private async Task<T> GetTenantAsync<T>(string route, string tenant, int count, string schema, JsonTypeInfo<T> typeInfo,
        Func<T, string> schemaOf, CancellationToken cancellationToken)
    {
        var document = await GetAsync(TenantRoutes.PathFor(route, tenant, count), typeInfo, cancellationToken);
        if (!string.Equals(schemaOf(document), schema, StringComparison.Ordinal))
        {
            throw new ManagementApiException(
                $"offloadd answered with schema '{schemaOf(document)}', but this offloadctl understands '{schema}'; install matching offloadctl and offloadd versions",
                0);
        }

        return document;
    }
}
