using System.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Nic.Mailbox;

namespace Offload.Nic.Datapath;

/// <summary>
/// Applies <see cref="FlowInstall"/>/<see cref="FlowRemove"/> from the host to the datapath. Called on the session's
/// receive loop; never sends. A message that does not decode is counted and ignored; the session stays up.
/// </summary>
internal sealed class NicDatapathSubscriber(NicDatapath datapath) : INicMailboxSubscriber
{
    private long _malformed;

    /// <summary>Flow messages that failed to decode.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type is not (MessageType.FlowInstall or MessageType.FlowRemove))
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
