using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// A message whose encoding ends with bytes the sender already holds (the packed connection records of a
/// <see cref="FlowMetadataBatch"/>: 1.3 MB a period at 10,000 connections). A mailbox session frames the head, then
/// writes the tail to its transport straight from the sender's buffer, so the tail is neither copied into the frame
/// buffer nor read again for the frame's CRC when the sender gives its register (<see cref="TailCrcRegister"/>). The
/// bytes on the wire are exactly those of <see cref="IMailboxMessage.Write"/>.
/// </summary>
public interface IMailboxMessageWithTail : IMailboxMessage
{
    /// <summary>The last bytes of the encoding (empty: <see cref="IMailboxMessage.Write"/> is the whole of it).</summary>
    ReadOnlyMemory<byte> Tail { get; }

    /// <summary>CRC-32C register of <see cref="Tail"/> started from 0 with no final XOR, when the sender computed it
    /// while writing the tail; null: the framer computes it.</summary>
    uint? TailCrcRegister { get; }

    /// <summary>Writes the encoding up to <see cref="Tail"/>: <see cref="IMailboxMessage.Write"/> is this followed by
    /// the tail's bytes.</summary>
    void WriteHead(ref MessagePackWriter writer);
}
