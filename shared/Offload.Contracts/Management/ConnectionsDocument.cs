namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/queues/connections</c> (schema <see cref="ManagementApi.ConnectionsSchema"/>) and of
/// <c>offloadctl queues --connections --json</c>: one row per live NVMe/TCP I/O connection (a TCP 5-tuple) from each
/// NIC's latest flow metadata period (FlowRecord kind 1).
/// </summary>
/// <param name="Schema">Always <see cref="ManagementApi.ConnectionsSchema"/>.</param>
/// <param name="At">When the document was built (UTC).</param>
/// <param name="Connections">Rows ordered by NIC, application, host port.</param>
public sealed record ConnectionsDocument(string Schema, DateTimeOffset At, IReadOnlyList<ConnectionRow> Connections);
