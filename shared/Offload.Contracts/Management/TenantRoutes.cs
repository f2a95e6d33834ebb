namespace Offload.Contracts.Management;

/// <summary>Routes and schema names of the per-tenant documents (<c>offloadctl history</c>, <c>offloadctl explain</c>).
/// A tenant is named by its host NQN, escaped as one path segment.</summary>
public static class TenantRoutes
{
    /// <summary><c>GET /v1/tenants/{tenant}/history?count=N</c>: stored demand rollups and the prediction.</summary>
    public const string HistoryRoute = "/v1/tenants/{tenant}/history";

    /// <summary><c>GET /v1/tenants/{tenant}/explain?count=N</c>: the last decisions about the tenant.</summary>
    public const string ExplainRoute = "/v1/tenants/{tenant}/explain";

    /// <summary>Schema name carried in <see cref="HistoryDocument.Schema"/>.</summary>
    public const string HistorySchema = "offload.history/v1";

    /// <summary>Schema name carried in <see cref="ExplainDocument.Schema"/>.</summary>
    public const string ExplainSchema = "offload.explain/v1";

    /// <summary>Most rows either document returns.</summary>
    public const int MaxCount = 1000;

    /// <summary>The concrete path of <paramref name="route"/> for <paramref name="tenant"/> with <c>?count=</c>.</summary>
    public static string PathFor(string route, string tenant, int count)
    {
        ArgumentNullException.ThrowIfNull(route);
        return string.Concat(route.Replace("{tenant}", Uri.EscapeDataString(tenant), StringComparison.Ordinal),
            "?count=", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
