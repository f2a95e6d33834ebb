using System.Buffers;
using Offload.Contracts.Mailbox;

namespace Offload.Host.Loop;

/// <summary>Forwards every mailbox callback to each handler in order (a MailboxClient takes one handler).</summary>
internal sealed class MailboxHandlerChain(params IMailboxHandler[] handlers) : IMailboxHandler
{
    public void OnEstablished(MailboxSession session)
    {
        foreach (var h in handlers)
        {
            h.OnEstablished(session);
        }
    }

    public void OnClosed(MailboxSession session, string reason)
    {
        foreach (var h in handlers)
        {
            h.OnClosed(session, reason);
        }
    }

    public void OnHeartbeat(MailboxSession session, TimeSpan roundTrip)
    {
        foreach (var h in handlers)
        {
            h.OnHeartbeat(session, roundTrip);
        }
    }

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        foreach (var h in handlers)
        {
            h.OnMessage(session, header, payload);
        }
    }
}
