namespace Offload.Contracts.Mailbox;

/// <summary>A listening device end that hands out one stream per connecting host.</summary>
public interface IMailboxListener : IAsyncDisposable
{
    ValueTask<MailboxLink> AcceptAsync(CancellationToken cancellationToken);
}
