namespace Offload.Contracts.Mailbox;

/// <summary>Creates the transport for an endpoint.</summary>
public static class MailboxTransport
{
    public static IMailboxTransport Create(MailboxEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new SocketMailboxTransport(endpoint);
    }
}
