using System.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Nic.Datapath;

namespace Offload.Nic.Mailbox;

/// <summary>
/// Receives host-to-NIC messages: counts them by type and applies <see cref="FlowInstall"/>/<see cref="FlowRemove"/>
/// to the datapath (when one is composed in). Called on the session's receive loop; never sends.
/// </summary>
internal sealed class NicMailboxHandler(NicDatapath? datapath = null) : IMailboxHandler
{
    private readonly long[] _received = new long[ushort.MaxValue + 1];

    private long _malformed;

    /// <summary>Flow messages that failed to decode (the session stays up; the message is ignored).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    public long Received(MessageType type) => Interlocked.Read(ref _received[(ushort)type]);

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        Interlocked.Increment(ref _received[(ushort)header.Type]);
        if (datapath is null || header.Type is not (MessageType.FlowInstall or MessageType.FlowRemove))
        {
            return;
        }

        IMailboxMessage? message;
        try
        {
            message = MessageCodec.Decode(header.Type, payload, stats: session.Counters.Decode);
        }
        catch (MessagePackSerializationException)
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        switch (message)
        {
            case FlowInstall install:
                datapath.TryApply(install);
                break;
            case FlowRemove remove:
                datapath.TryApply(remove);
                break;
        }
    }
}
