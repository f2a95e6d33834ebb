namespace Offload.Contracts.Mailbox;

/// <summary>The mailbox transports. On hardware the mailbox is PCIe-mapped; here it is a socket (or, later, a shared-memory ring).</summary>
public enum MailboxTransportKind
{
    Tcp,
    Unix,
}
