namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/tenants/{tenant}/explain</c> (schema <see cref="TenantRoutes.ExplainSchema"/>) and the output of
/// <c>offloadctl explain --json</c>: the same decisions the text form prints. Rates are cost units/s (one 4 KiB read = 1).
/// </summary>
/// <param name="Schema">Always <see cref="TenantRoutes.ExplainSchema"/>.</param>
/// <param name="Tenant">The tenant's host NQN.</param>
/// <param name="Decisions">The last decisions, oldest first, across every NIC the tenant uses.</param>
public sealed record ExplainDocument(string Schema, string Tenant, IReadOnlyList<ExplainDecision> Decisions);
