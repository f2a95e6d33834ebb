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
        int start = output.WrittenCount;
        output.GetSpan(FrameFormat.LengthPrefixSize + FrameFormat.HeaderSize);
        output.Advance(FrameFormat.LengthPrefixSize + FrameFormat.HeaderSize);

        var writer = new MessagePackWriter(output);
        message.Write(ref writer);
        writer.Flush();

        int bodyEnd = output.WrittenCount;
        int length = bodyEnd - start - FrameFormat.LengthPrefixSize + FrameFormat.CrcSize;
        var frame = output.WrittenSpanForPatching[start..];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)length);
        var h = frame[FrameFormat.LengthPrefixSize..];
        BinaryPrimitives.WriteUInt16BigEndian(h, FrameFormat.Magic);
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], header.SchemaVersion);
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], (ushort)header.Type);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], header.Flags);
        BinaryPrimitives.WriteUInt64BigEndian(h[8..], header.Sequence);
        uint crc = Crc32C.Compute(output.WrittenSpan[(start + FrameFormat.LengthPrefixSize)..bodyEnd]);
        BinaryPrimitives.WriteUInt32BigEndian(output.GetSpan(FrameFormat.CrcSize), crc);
        output.Advance(FrameFormat.CrcSize);
        return output.WrittenCount - start;
    }
}
