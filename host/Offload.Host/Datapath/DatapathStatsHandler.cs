using System.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Host.Datapath;

/// <summary>Keeps each NIC's latest <see cref="DatapathStats"/> in the <see cref="DatapathStatsStore"/> (one per endpoint's session).</summary>
internal sealed class DatapathStatsHandler(DatapathStatsStore store, TimeProvider time) : IMailboxHandler
{
    private long _malformed;

    /// <summary>Reports that did not decode (ignored; the session stays up).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type != MessageType.DatapathStats || session.Peer is not { } peer)
        {
            return;
        }

        try
        {
            if (MessageCodec.Decode(header.Type, payload, stats: session.Counters.Decode) is DatapathStats report)
            {
                store.Update(peer.Id, report, time.GetUtcNow());
            }
        }
        catch (MessagePackSerializationException)
        {
            Interlocked.Increment(ref _malformed);
        }
    }

    public void OnClosed(MailboxSession session, string reason)
    {
        if (session.Peer is { } peer)
        {
            store.Remove(peer.Id);
        }
    }
}
