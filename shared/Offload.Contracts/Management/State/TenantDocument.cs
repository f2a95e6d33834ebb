namespace Offload.Contracts.Management;

/// <summary>Output of <c>offloadctl tenants show NAME --json</c> (schema <see cref="ManagementApi.TenantSchema"/>).</summary>
/// <param name="Schema">Always <see cref="ManagementApi.TenantSchema"/>.</param>
/// <param name="Revision">Desired-state revision.</param>
/// <param name="Tenant">The tenant and its SLA.</param>
/// <param name="PinnedRate">Its pinned rate, or null.</param>
/// <param name="Rates">Its current rate on each NIC.</param>
public sealed record TenantDocument(string Schema, long Revision, TenantSpec Tenant, PinnedRateSpec? PinnedRate, IReadOnlyList<RateRow> Rates);
