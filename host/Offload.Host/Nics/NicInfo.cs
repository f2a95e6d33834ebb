namespace Offload.Host.Nics;

/// <summary>
/// What offloadd knows about one connected NIC. Written by the mailbox session when the handshake completes
/// and on every heartbeat; read by the management API.
/// </summary>
/// <param name="BoardId">Board id from the NIC's Hello (see <see cref="Offload.Contracts.Management.BoardId"/>).</param>
/// <param name="FirmwareVersion">Firmware version from the NIC's Hello.</param>
/// <param name="ProtocolVersion">Negotiated mailbox protocol version.</param>
/// <param name="Endpoint">Mailbox endpoint of the session, for example <c>tcp://127.0.0.1:7400</c>.</param>
/// <param name="ConnectedSince">When the session was established.</param>
/// <param name="HeartbeatRtt">Last heartbeat round-trip time; null until the first heartbeat is answered.</param>
/// <param name="Capabilities">Capabilities from the NIC's Hello.</param>
public sealed record NicInfo(
    string BoardId,
    string FirmwareVersion,
    int ProtocolVersion,
    string Endpoint,
    DateTimeOffset ConnectedSince,
    TimeSpan? HeartbeatRtt,
    IReadOnlyList<string> Capabilities);
