namespace Offload.Contracts.Mailbox;

/// <summary>A connected byte stream and a printable name for the remote end.</summary>
public sealed record MailboxLink(Stream Stream, string RemoteName);
