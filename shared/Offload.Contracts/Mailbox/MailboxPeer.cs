namespace Offload.Contracts.Mailbox;

/// <summary>The other end of an established session, as learned in the handshake.</summary>
public sealed record MailboxPeer(
    string Id,
    string SoftwareVersion,
    ushort ProtocolVersion,
    IReadOnlyList<string> Capabilities,
    string RemoteName,
    DateTimeOffset ConnectedSince);
