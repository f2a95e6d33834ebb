namespace Offload.Contracts.Mailbox;

/// <summary>Creates the transport for an endpoint.</summary>
public static class MailboxTransport
{
    /// <summary>The transport for <paramref name="endpoint"/> with default settings.</summary>
    public static IMailboxTransport Create(MailboxEndpoint endpoint) => Create(endpoint, null);

    /// <summary>
    /// The transport for <paramref name="endpoint"/>; a <c>shm://</c> transport takes its ring size and its rendezvous
    /// timeout (<see cref="MailboxOptions.HandshakeTimeout"/>) from <paramref name="options"/>.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">A shared-memory endpoint on an OS other than Linux.</exception>
    public static IMailboxTransport Create(MailboxEndpoint endpoint, MailboxOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Kind != MailboxTransportKind.SharedMemory)
        {
            return new SocketMailboxTransport(endpoint);
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"The shared-memory mailbox ({endpoint}) runs on Linux only; use a unix:// or tcp:// endpoint.");
        }

        var defaults = options ?? new MailboxOptions();
        return new SharedMemoryMailboxTransport(endpoint, defaults.SharedMemoryRingSize, defaults.HandshakeTimeout);
    }
}
