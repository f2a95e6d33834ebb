namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/logs</c> (schema <see cref="ManagementApi.LogsSchema"/>): offloadd's most recent log
/// records from its in-memory ring, oldest first.
/// </summary>
/// <param name="Schema">Always <see cref="ManagementApi.LogsSchema"/>.</param>
/// <param name="Next">Pass as <c>since</c> to get only newer records (the sequence after the last one returned).</param>
/// <param name="Dropped">Records that fell out of the ring before this reader saw them (0 when none were missed).</param>
/// <param name="Records">The records.</param>
public sealed record LogsDocument(string Schema, long Next, long Dropped, IReadOnlyList<LogRecordRow> Records);
