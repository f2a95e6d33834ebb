namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/status</c> (schema <see cref="ManagementApi.StatusSchema"/>) and the output of
/// <c>offloadctl status --json</c>. Fields are only ever added, never renamed or reused.
/// </summary>
/// <param name="Schema">Always <see cref="ManagementApi.StatusSchema"/> for this shape.</param>
/// <param name="UptimeSeconds">Whole seconds since offloadd started.</param>
/// <param name="StartedAt">When offloadd started (UTC).</param>
/// <param name="Version">offloadd's informational version.</param>
/// <param name="Nics">Connected NICs, ordered by board id.</param>
public sealed record StatusDocument(
    string Schema,
    long UptimeSeconds,
    DateTimeOffset StartedAt,
    string Version,
    IReadOnlyList<NicStatus> Nics);
