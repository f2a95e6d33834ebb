namespace Offload.Contracts.Management;

/// <summary>One NVMe/TCP I/O connection (flow) in <see cref="ConnectionsDocument"/>; rates are over the NIC's last
/// report period.</summary>
/// <param name="Nic">Board id of the NIC that reported it.</param>
/// <param name="Tenant">Tenant label of the application (<c>app&lt;id&gt;</c>).</param>
/// <param name="Application">Application id on the wire.</param>
/// <param name="FlowId">Connection flow id (bit 63 set; unique for the NIC process's life).</param>
/// <param name="Source">Host (initiator) address.</param>
/// <param name="SourcePort">Host TCP port.</param>
/// <param name="Destination">NIC (target listener) address.</param>
/// <param name="DestinationPort">NIC TCP port.</param>
/// <param name="Protocol">IP protocol number (6, TCP).</param>
/// <param name="ReadIops">Read commands/s.</param>
/// <param name="WriteIops">Write commands/s.</param>
/// <param name="ReadMegabytesPerSecond">Completed read payload, MB/s (10^6 bytes).</param>
/// <param name="WriteMegabytesPerSecond">Completed write payload, MB/s (10^6 bytes).</param>
/// <param name="PacketsPerSecond">Received PDUs/s.</param>
/// <param name="CpuNanosPerSecond">NIC CPU in the connection's request state machines, ns/s.</param>
/// <param name="SqDepth">Instantaneous SQ entries.</param>
/// <param name="SqAverage">Time-averaged SQ depth.</param>
/// <param name="SqLevel"><c>low</c>, <c>medium</c> or <c>high</c>.</param>
/// <param name="CqDepth">Instantaneous CQ entries.</param>
/// <param name="CqAverage">Time-averaged CQ depth.</param>
/// <param name="CqLevel"><c>low</c>, <c>medium</c> or <c>high</c>.</param>
/// <param name="LatencyP50Micros">Median completed-command latency, µs (over up to the last 100 ms).</param>
/// <param name="LatencyP99Micros">99th percentile, µs.</param>
/// <param name="LatencyP999Micros">99.9th percentile, µs.</param>
/// <param name="ReportedAt">Timestamp of the NIC report the row comes from (UTC).</param>
public sealed record ConnectionRow(
    string Nic,
    string Tenant,
    uint Application,
    ulong FlowId,
    string Source,
    ushort SourcePort,
    string Destination,
    ushort DestinationPort,
    byte Protocol,
    double ReadIops,
    double WriteIops,
    double ReadMegabytesPerSecond,
    double WriteMegabytesPerSecond,
    double PacketsPerSecond,
    ulong CpuNanosPerSecond,
    uint SqDepth,
    double SqAverage,
    string SqLevel,
    uint CqDepth,
    double CqAverage,
    string CqLevel,
    double LatencyP50Micros,
    double LatencyP99Micros,
    double LatencyP999Micros,
    DateTimeOffset ReportedAt);
