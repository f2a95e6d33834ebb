using System.Buffers;
using System.Buffers.Binary;
using Offload.Contracts.Messages;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// Takes frames off a byte stream. Every byte is treated as hostile: the declared length is checked against the cap
/// before anything is buffered, and the CRC is checked before the payload is handed on.
/// </summary>
public static class FrameReader
{
    /// <summary>
    /// Tries to take one frame from the front of <paramref name="buffer"/>. On <see cref="FrameStatus.Complete"/>
    /// the buffer is advanced past the frame and <paramref name="payload"/> slices the original buffer. On any other
    /// status the buffer is left as it was.
    /// </summary>
    public static FrameStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxFrameSize, out MessageHeader header, out ReadOnlySequence<byte> payload)
    {
        header = default;
        payload = default;
        if (buffer.Length < FrameFormat.LengthPrefixSize)
        {
            return FrameStatus.Incomplete;
        }

        Span<byte> prefix = stackalloc byte[FrameFormat.LengthPrefixSize + FrameFormat.HeaderSize];
        int available = (int)Math.Min(buffer.Length, prefix.Length);
        buffer.Slice(0, available).CopyTo(prefix);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (length > (uint)maxFrameSize)
        {
            return FrameStatus.Oversize;
        }

        if (length < FrameFormat.MinLength)
        {
            return FrameStatus.Undersize;
        }

        if (available >= FrameFormat.LengthPrefixSize + 2 && BinaryPrimitives.ReadUInt16BigEndian(prefix[4..]) != FrameFormat.Magic)
        {
            return FrameStatus.BadMagic;
        }

        long total = FrameFormat.LengthPrefixSize + (long)length;
        if (buffer.Length < total)
        {
            return FrameStatus.Incomplete;
        }

        var body = buffer.Slice(FrameFormat.LengthPrefixSize, length - FrameFormat.CrcSize);
        Span<byte> crcBytes = stackalloc byte[FrameFormat.CrcSize];
        buffer.Slice(total - FrameFormat.CrcSize, FrameFormat.CrcSize).CopyTo(crcBytes);
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32BigEndian(crcBytes))
        {
            return FrameStatus.BadCrc;
        }

        var h = prefix[FrameFormat.LengthPrefixSize..];
        header = new MessageHeader(
            BinaryPrimitives.ReadUInt16BigEndian(h[2..]),
            (MessageType)BinaryPrimitives.ReadUInt16BigEndian(h[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(h[6..]),
            BinaryPrimitives.ReadUInt64BigEndian(h[8..]));
        payload = body.Slice(FrameFormat.HeaderSize);
        buffer = buffer.Slice(total);
        return FrameStatus.Complete;
    }
}
