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
public sealed record NicRow(
    string? BoardId,
    string? FirmwareVersion,
    int ProtocolVersion,
    string Endpoint,
    bool Connected,
    DateTimeOffset? ConnectedSince,
    double? HeartbeatRttMs,
    DateTimeOffset? LastSeen,
    long MessagesReceived);
