namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/flows</c> (schema <see cref="ManagementApi.FlowsSchema"/>) and of
/// <c>offloadctl flows --json</c>: the datapath's installed megaflows that pass the filters.
/// </summary>
/// <param name="Schema">Always <see cref="ManagementApi.FlowsSchema"/>.</param>
/// <param name="At">When the document was built (UTC).</param>
/// <param name="Truncated">True when a NIC had more matching flows than the requested maximum.</param>
/// <param name="Flows">Flows ordered by NIC, then as the datapath listed them.</param>
public sealed record FlowsDocument(string Schema, DateTimeOffset At, bool Truncated, IReadOnlyList<FlowRow> Flows);
