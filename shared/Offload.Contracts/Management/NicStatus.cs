namespace Offload.Contracts.Management;

/// <summary>One connected NIC as reported by <c>GET /v1/status</c>.</summary>
/// <param name="BoardId">Board id announced in the NIC's Hello.</param>
/// <param name="FirmwareVersion">Firmware version announced in the NIC's Hello.</param>
/// <param name="ProtocolVersion">Mailbox protocol version negotiated in the handshake.</param>
/// <param name="Endpoint">Mailbox endpoint offloadd is connected to (for example <c>tcp://127.0.0.1:7400</c>).</param>
/// <param name="ConnectedSince">When the current mailbox session was established (UTC).</param>
/// <param name="HeartbeatRttMs">Last heartbeat round-trip time in milliseconds; null until the first heartbeat returns.</param>
/// <param name="Capabilities">Capabilities announced in the NIC's Hello.</param>
public sealed record NicStatus(
    string BoardId,
    string FirmwareVersion,
    int ProtocolVersion,
    string Endpoint,
    DateTimeOffset ConnectedSince,
    double? HeartbeatRttMs,
    IReadOnlyList<string> Capabilities);
