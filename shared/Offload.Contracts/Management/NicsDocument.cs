namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/nics</c> (schema <see cref="ManagementApi.NicsSchema"/>) and of <c>offloadctl nics --json</c>:
/// every configured NIC endpoint, connected or not. Fields are only ever added.
/// </summary>
/// <param name="Schema">Always <see cref="ManagementApi.NicsSchema"/>.</param>
/// <param name="At">When the document was built (UTC).</param>
/// <param name="Nics">One row per configured mailbox endpoint, connected first, then by board id and endpoint.</param>
public sealed record NicsDocument(string Schema, DateTimeOffset At, IReadOnlyList<NicRow> Nics);
