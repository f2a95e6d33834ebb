using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>A message that travels in a mailbox frame. Its payload is one MessagePack value with integer keys.</summary>
public interface IMailboxMessage
{
    /// <summary>The frame header's message type for this message.</summary>
    MessageType Type { get; }

    /// <summary>Writes the payload (no frame header).</summary>
    void Write(ref MessagePackWriter writer);
}
