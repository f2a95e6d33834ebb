namespace Offload.Contracts.Mailbox;

/// <summary>What one end says about itself in the handshake: board id (NIC) or host id, software version, capabilities.</summary>
public sealed record MailboxIdentity(string Id, string SoftwareVersion, IReadOnlyList<string> Capabilities);
