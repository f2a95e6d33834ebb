using System.Buffers;
using System.Collections.Concurrent;
using Offload.Contracts.Mailbox;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>Records what a mailbox end saw, for assertions.</summary>
internal sealed class RecordingHandler : IMailboxHandler
{
    public ConcurrentQueue<string> Closed { get; } = new();

    public ConcurrentQueue<MailboxSession> Established { get; } = new();

    public ConcurrentQueue<(MessageHeader Header, byte[] Payload)> Messages { get; } = new();

    public int Heartbeats;

    public void OnEstablished(MailboxSession session) => Established.Enqueue(session);

    public void OnClosed(MailboxSession session, string reason) => Closed.Enqueue(reason);

    public void OnHeartbeat(MailboxSession session, TimeSpan roundTrip) => Interlocked.Increment(ref Heartbeats);

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload) =>
        Messages.Enqueue((header, payload.ToArray()));
}
