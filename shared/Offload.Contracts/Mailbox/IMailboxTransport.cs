namespace Offload.Contracts.Mailbox;

/// <summary>
/// The seam between the mailbox protocol and the bytes underneath it. The NIC is the device end and listens; the host
/// connects. Implementations return plain byte streams; framing, handshake and heartbeats sit above.
/// </summary>
public interface IMailboxTransport
{
    MailboxEndpoint Endpoint { get; }

    /// <summary>Starts listening (device end).</summary>
    ValueTask<IMailboxListener> ListenAsync(CancellationToken cancellationToken);

    /// <summary>Connects once (host end). Throws <see cref="System.Net.Sockets.SocketException"/> or <see cref="IOException"/> on failure.</summary>
    ValueTask<MailboxLink> ConnectAsync(CancellationToken cancellationToken);
}
