namespace Offload.Contracts.Management;

/// <summary>Output of <c>offloadctl tenants list --json</c> (schema <see cref="ManagementApi.TenantsSchema"/>).</summary>
/// <param name="Schema">Always <see cref="ManagementApi.TenantsSchema"/>.</param>
/// <param name="Revision">Desired-state revision.</param>
/// <param name="Tenants">Tenants in declaration order.</param>
/// <param name="PinnedRates">Pinned rates.</param>
public sealed record TenantsDocument(string Schema, long Revision, IReadOnlyList<TenantSpec> Tenants, IReadOnlyList<PinnedRateSpec> PinnedRates);
