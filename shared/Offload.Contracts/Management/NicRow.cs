namespace Offload.Contracts.Management;

/// <summary>One NIC in <see cref="NicsDocument"/>.</summary>
/// <param name="BoardId">Board id from the NIC's Hello; null while never connected.</param>
/// <param name="FirmwareVersion">Firmware version from the Hello; null while never connected.</param>
/// <param name="ProtocolVersion">Negotiated mailbox protocol version; 0 while not connected.</param>
/// <param name="Endpoint">Mailbox endpoint offloadd dials (for example <c>tcp://127.0.0.1:7420</c>).</param>
/// <param name="Connected">True while a mailbox session is established.</param>
/// <param name="ConnectedSince">When the current session was established; null when not connected.</param>
/// <param name="HeartbeatRttMs">Last heartbeat round-trip time in milliseconds; null before the first one.</param>
/// <param name="LastSeen">When a message or heartbeat last arrived from this NIC; null if never.</param>
/// <param name="MessagesReceived">Mailbox messages received from this NIC since offloadd started.</param>
/// <param name="CpuPercent">nic-fw's CPU over its last flow metadata period, in percent of one core; null before the
/// first period (or from a NIC that does not run the NVMe target).</param>
/// <param name="TelemetryCpuPercent">The part of it spent by nic-fw's telemetry thread (sweeps, flow records, reports):
/// issue 5 bounds it at 5% of one core for 10,000 flows at 100 reports/s. Null before the first period, or from a
/// NIC whose firmware does not report it.</param>
public sealed record NicRow(
    string? BoardId,
    string? FirmwareVersion,
    int ProtocolVersion,
    string Endpoint,
    bool Connected,
    DateTimeOffset? ConnectedSince,
    double? HeartbeatRttMs,
    DateTimeOffset? LastSeen,
    long MessagesReceived,
    double? CpuPercent = null,
    double? TelemetryCpuPercent = null);
