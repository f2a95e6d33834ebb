namespace Offload.Contracts.Management;

/// <summary>One SQ/CQ pair in <see cref="QueuesDocument"/>.</summary>
/// <param name="Nic">Board id of the NIC that reported it.</param>
/// <param name="Tenant">Tenant label of the application (<c>app&lt;id&gt;</c>).</param>
/// <param name="Application">Application id on the wire.</param>
/// <param name="Queue">Queue id (0 admin, 1.. I/O).</param>
/// <param name="SqDepth">Instantaneous SQ entries.</param>
/// <param name="SqSize">SQ size in entries.</param>
/// <param name="SqAverage">Time-averaged SQ depth.</param>
/// <param name="SqLevel"><c>low</c>, <c>medium</c> or <c>high</c>.</param>
/// <param name="CqDepth">Instantaneous CQ entries.</param>
/// <param name="CqSize">CQ size in entries.</param>
/// <param name="CqAverage">Time-averaged CQ depth.</param>
/// <param name="CqLevel"><c>low</c>, <c>medium</c> or <c>high</c>.</param>
/// <param name="ReportedAt">Timestamp of the NIC report the row comes from (UTC).</param>
public sealed record QueueRow(
    string Nic,
    string Tenant,
    uint Application,
    ushort Queue,
    uint SqDepth,
    uint SqSize,
    double SqAverage,
    string SqLevel,
    uint CqDepth,
    uint CqSize,
    double CqAverage,
    string CqLevel,
    DateTimeOffset ReportedAt);
