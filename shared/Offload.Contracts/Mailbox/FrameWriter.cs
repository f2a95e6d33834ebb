using System.Buffers.Binary;
using Offload.Contracts.Buffers;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Contracts.Mailbox;

/// <summary>Writes whole frames into a reusable <see cref="PooledBufferWriter"/>; allocation-free after warm-up.</summary>
public static class FrameWriter
{
    /// <summary>Appends one frame carrying <paramref name="message"/> to <paramref name="output"/>.</summary>
    /// <returns>The number of bytes the frame occupies.</returns>
    public static int Write<TMessage>(PooledBufferWriter output, in MessageHeader header, TMessage message)
        where TMessage : IMailboxMessage
    {
        ArgumentNullException.ThrowIfNull(output);
        int start = Begin(output);
        var writer = new MessagePackWriter(output);
        message.Write(ref writer);
        writer.Flush();

        int bodyEnd = output.WrittenCount;
        AppendCrc(output, Crc32C.Append(0xFFFFFFFFu, End(output, start, header, bodyEnd, tailLength: 0)));
        return output.WrittenCount - start;
    }

    /// <summary>Appends the frame of <paramref name="message"/> except its tail (<see cref="IMailboxMessageWithTail.Tail"/>):
    /// <paramref name="output"/> then holds the frame's head followed by its 4-byte CRC, and the frame is the head, the
    /// tail, then the CRC -- the same bytes <see cref="Write{TMessage}"/> gives, without copying the tail (nor reading
    /// it, when the message has the tail's CRC register).</summary>
    /// <returns>The head's length in bytes (the CRC follows it in <paramref name="output"/>).</returns>
    public static int WriteHead<TMessage>(PooledBufferWriter output, in MessageHeader header, TMessage message)
        where TMessage : IMailboxMessageWithTail
    {
        ArgumentNullException.ThrowIfNull(output);
        int start = Begin(output);
        var writer = new MessagePackWriter(output);
        message.WriteHead(ref writer);
        writer.Flush();

        int headEnd = output.WrittenCount;
        var tail = message.Tail;
        uint register = Crc32C.Append(0xFFFFFFFFu, End(output, start, header, headEnd, tail.Length));
        AppendCrc(output, message.TailCrcRegister is uint tailRegister
            ? Crc32C.Combine(register, tailRegister, tail.Length)
            : Crc32C.Append(register, tail.Span));
        return headEnd - start;
    }

    /// <summary>Appends the frame's CRC from its final register.</summary>
    private static void AppendCrc(PooledBufferWriter output, uint register)
    {
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(FrameFormat.CrcSize), ~register);
        output.Advance(FrameFormat.CrcSize);
    }

    /// <summary>Reserves the length prefix and header; the frame's start.</summary>
    private static int Begin(PooledBufferWriter output)
    {
        int start = output.WrittenCount;
        output.GetSpan(FrameFormat.LengthPrefixSize + FrameFormat.HeaderSize);
        output.Advance(FrameFormat.LengthPrefixSize + FrameFormat.HeaderSize);
        return start;
    }

    /// <summary>Fills the length prefix (the body ends <paramref name="tailLength"/> bytes after
    /// <paramref name="bodyEnd"/>) and the header; the bytes the CRC covers that are in <paramref name="output"/>.</summary>
    private static ReadOnlySpan<byte> End(PooledBufferWriter output, int start, in MessageHeader header, int bodyEnd, int tailLength)
    {
        int length = bodyEnd - start - FrameFormat.LengthPrefixSize + tailLength + FrameFormat.CrcSize;
        var frame = output.WrittenSpanForPatching[start..];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)length);
        var h = frame[FrameFormat.LengthPrefixSize..];
        BinaryPrimitives.WriteUInt16BigEndian(h, FrameFormat.Magic);
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], header.SchemaVersion);
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], (ushort)header.Type);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], header.Flags);
        BinaryPrimitives.WriteUInt64BigEndian(h[8..], header.Sequence);
        return output.WrittenSpan[(start + FrameFormat.LengthPrefixSize)..bodyEnd];
    }
}
