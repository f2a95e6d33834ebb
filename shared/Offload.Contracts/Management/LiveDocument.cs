namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/tenants/live</c> (schema <see cref="ManagementApi.LiveSchema"/>); one line of
/// <c>offloadctl watch --json</c> per refresh.
/// </summary>
/// <param name="Schema">Always <see cref="ManagementApi.LiveSchema"/>.</param>
/// <param name="At">When the document was built (UTC).</param>
/// <param name="NicsConnected">Number of NICs with an established mailbox session.</param>
/// <param name="Tenants">One row per application per NIC, ordered by NIC then application.</param>
public sealed record LiveDocument(string Schema, DateTimeOffset At, int NicsConnected, IReadOnlyList<TenantLive> Tenants);
