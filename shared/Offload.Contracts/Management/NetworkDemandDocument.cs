namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/network/demand</c> (schema <see cref="NetworkRoutes.DemandSchema"/>): the latest
/// NetworkSummary of every node, and each tenant's demand summed across nodes. Rates are requests/s.
/// </summary>
/// <param name="Schema">Always <see cref="NetworkRoutes.DemandSchema"/>.</param>
/// <param name="At">When the aggregate was taken (UTC).</param>
/// <param name="Nodes">Nodes with a fresh summary, by name.</param>
/// <param name="Tenants">Tenants (host NQN) by name, summed across nodes.</param>
/// <param name="TotalReadRate">Read requests/s across the network.</param>
/// <param name="TotalWriteRate">Write requests/s across the network.</param>
public sealed record NetworkDemandDocument(
    string Schema,
    DateTimeOffset At,
    IReadOnlyList<NetworkNodeDemand> Nodes,
    IReadOnlyList<NetworkTenantDemand> Tenants,
    double TotalReadRate,
    double TotalWriteRate);
