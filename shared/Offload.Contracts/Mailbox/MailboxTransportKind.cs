namespace Offload.Contracts.Mailbox;

/// <summary>
/// The mailbox transports. On hardware the mailbox is PCIe-mapped memory; here it is a socket, or a shared-memory
/// ring (<see cref="SharedMemory"/>, Linux only) that emulates the mapped mailbox.
/// </summary>
public enum MailboxTransportKind
{
    /// <summary>A TCP stream socket: <c>tcp://HOST:PORT</c>.</summary>
    Tcp,

    /// <summary>A Unix domain stream socket: <c>unix:///ABSOLUTE/PATH</c>.</summary>
    Unix,

    /// <summary>
    /// Two single-producer single-consumer byte rings in a file both processes map, with a Unix domain socket at the
    /// endpoint path for the rendezvous and for doorbells (sent only to a sleeping peer): <c>shm:///ABSOLUTE/PATH</c>.
    /// Linux only.
    /// </summary>
    SharedMemory,
}
