using System.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;

namespace Offload.Nic.Mailbox;

/// <summary>
/// Receives host-to-NIC messages. Counts them by type and forwards every callback to the feature subscribers
/// (<see cref="INicMailboxSubscriber"/>: rate enforcement, and the datapath and allocations as they land).
/// </summary>
internal sealed class NicMailboxHandler(IEnumerable<INicMailboxSubscriber> subscribers) : IMailboxHandler
{
    private readonly long[] _received = new long[ushort.MaxValue + 1];
    private readonly INicMailboxSubscriber[] _subscribers = [.. subscribers];

    public NicMailboxHandler()
        : this([])
    {
    }

    public long Received(MessageType type) => Interlocked.Read(ref _received[(ushort)type]);

    public void OnEstablished(MailboxSession session)
    {
        foreach (var s in _subscribers)
        {
            s.OnEstablished(session);
        }
    }

    public void OnClosed(MailboxSession session, string reason)
    {
        foreach (var s in _subscribers)
        {
            s.OnClosed(session, reason);
        }
    }

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        Interlocked.Increment(ref _received[(ushort)header.Type]);
        foreach (var s in _subscribers)
        {
            s.OnMessage(session, header, payload);
        }
    }
}
