namespace Offload.Contracts.Mailbox;

/// <summary>A listening device end that hands out one stream per connecting host.</summary>
public interface IMailboxListener : IAsyncDisposable
{
    /// <summary>
    /// Waits for the next host. Throws <see cref="System.Net.Sockets.SocketException"/> or <see cref="IOException"/>
    /// when one connection fails (for a shared-memory mailbox, its rendezvous); the listener stays usable.
    /// </summary>
    ValueTask<MailboxLink> AcceptAsync(CancellationToken cancellationToken);
}
