using System.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Nic.Mailbox;

namespace Offload.Host.Tests.Loop;

/// <summary>NIC-side subscriber that keeps every decoded message of one type, in arrival order.</summary>
internal sealed class RecordingSubscriber<T>(MessageType type) : INicMailboxSubscriber where T : class, IMailboxMessage
{
    private readonly Lock _lock = new();
    private readonly List<T> _messages = [];

    public IReadOnlyList<T> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type == type && MessageCodec.Decode(header.Type, payload) is T message)
        {
            lock (_lock)
            {
                _messages.Add(message);
            }
        }
    }
}
