namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/tenants/{tenant}/history</c> (schema <see cref="TenantRoutes.HistorySchema"/>) and the output
/// of <c>offloadctl history --json</c>. Rates are cost units/s (one 4 KiB read = 1). Fields are only ever added.
/// </summary>
/// <param name="Schema">Always <see cref="TenantRoutes.HistorySchema"/>.</param>
/// <param name="Tenant">The tenant's host NQN.</param>
/// <param name="Database">Path of offloadd's history database.</param>
/// <param name="Prediction">What the history predicts when the tenant (re)connects, or null without history.</param>
/// <param name="Rollups">Stored rollups, newest first.</param>
public sealed record HistoryDocument(
    string Schema,
    string Tenant,
    string Database,
    HistoryPrediction? Prediction,
    IReadOnlyList<HistoryRollupRow> Rollups);
