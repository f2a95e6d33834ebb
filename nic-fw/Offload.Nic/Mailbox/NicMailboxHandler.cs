using System.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;

namespace Offload.Nic.Mailbox;

/// <summary>
/// Receives host-to-NIC messages. The foundation counts them by type; the datapath and NVMe target subscribe to
/// installs, rates and allocations as those features land.
/// </summary>
internal sealed class NicMailboxHandler : IMailboxHandler
{
    private readonly long[] _received = new long[ushort.MaxValue + 1];

    public long Received(MessageType type) => Interlocked.Read(ref _received[(ushort)type]);

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload) =>
        Interlocked.Increment(ref _received[(ushort)header.Type]);
}
