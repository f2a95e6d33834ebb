namespace Offload.Contracts.Management;

/// <summary>Body of <c>GET /v1/rates</c> (schema <see cref="ManagementApi.RatesSchema"/>) and of
/// <c>offloadctl rates show --json</c>.</summary>
/// <param name="Schema">Always <see cref="ManagementApi.RatesSchema"/>.</param>
/// <param name="Revision">Desired-state revision the pins come from.</param>
/// <param name="Rates">Every application's current rate, by NIC then application; pinned tenants are listed even
/// before their application has connected.</param>
public sealed record RatesDocument(string Schema, long Revision, IReadOnlyList<RateRow> Rates);
