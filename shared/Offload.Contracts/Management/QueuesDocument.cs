namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/queues</c> (schema <see cref="ManagementApi.QueuesSchema"/>) and of
/// <c>offloadctl queues --json</c>: SQ and CQ occupancy of every application queue pair, from each NIC's latest
/// QueueOccupancy report.
/// </summary>
/// <param name="Schema">Always <see cref="ManagementApi.QueuesSchema"/>.</param>
/// <param name="At">When the document was built (UTC).</param>
/// <param name="Queues">Rows ordered by NIC, application, queue id.</param>
public sealed record QueuesDocument(string Schema, DateTimeOffset At, IReadOnlyList<QueueRow> Queues);
