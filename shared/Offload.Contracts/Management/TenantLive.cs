namespace Offload.Contracts.Management;

/// <summary>One application's live figures in <see cref="LiveDocument"/>.</summary>
/// <param name="Nic">Board id of the NIC.</param>
/// <param name="Tenant">Tenant label (<c>app&lt;id&gt;</c>).</param>
/// <param name="Application">Application id on the wire.</param>
/// <param name="Iops">NVMe commands per second over the NIC's last window (reads + writes).</param>
/// <param name="BytesPerSecond">Received bytes per second over the application's flows.</param>
/// <param name="LatencyP99Us">Worst p99 command latency over the application's flows, microseconds; null when the NIC reports none.</param>
/// <param name="SqDepth">Instantaneous SQ entries, summed over its queues.</param>
/// <param name="SqAverage">Time-averaged SQ depth, summed over its queues.</param>
/// <param name="SqLevel">Highest SQ level of its queues.</param>
/// <param name="CqDepth">Instantaneous CQ entries, summed over its queues.</param>
/// <param name="CqAverage">Time-averaged CQ depth, summed over its queues.</param>
/// <param name="CqLevel">Highest CQ level of its queues.</param>
/// <param name="RateLimit">Rate (requests/s) the controller last set; null before the first decision.</param>
/// <param name="State"><c>congested</c>, or the controller rule behind the rate (for example <c>trackdemand</c>), or <c>unmanaged</c>.</param>
public sealed record TenantLive(
    string Nic,
    string Tenant,
    uint Application,
    double Iops,
    double BytesPerSecond,
    double? LatencyP99Us,
    uint SqDepth,
    double SqAverage,
    string SqLevel,
    uint CqDepth,
    double CqAverage,
    string CqLevel,
    double? RateLimit,
    string State);
