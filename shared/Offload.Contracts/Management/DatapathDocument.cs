namespace Offload.Contracts.Management;

/// <summary>
/// The body of <c>GET /v1/datapath</c> (schema <see cref="ManagementApi.DatapathSchema"/>): the latest DatapathStats
/// report of every connected NIC that runs a switch datapath. Counters are cumulative since nic-fw started. Fields are
/// only ever added, never renamed or reused.
/// </summary>
/// <param name="Schema">Always <see cref="ManagementApi.DatapathSchema"/> for this shape.</param>
/// <param name="Nics">One entry per NIC that has reported, ordered by board id.</param>
public sealed record DatapathDocument(string Schema, IReadOnlyList<DatapathNicDocument> Nics);
