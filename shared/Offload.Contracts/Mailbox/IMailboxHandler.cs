using System.Buffers;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// Receives what happens on mailbox sessions. Calls for one session come from its receive loop, one at a time.
/// <see cref="OnMessage"/> must decode the payload before returning: the buffer is reused afterwards.
/// </summary>
public interface IMailboxHandler
{
    /// <summary>The handshake finished; the session can send.</summary>
    void OnEstablished(MailboxSession session) { }

    /// <summary>The session ended (peer lost, bad frame, closed, shutdown).</summary>
    void OnClosed(MailboxSession session, string reason) { }

    /// <summary>A heartbeat echo came back.</summary>
    void OnHeartbeat(MailboxSession session, TimeSpan roundTrip) { }

    /// <summary>A message other than the handshake, heartbeat and error messages, in the negotiated schema.</summary>
    void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload) { }
}
