using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Offload.Contracts.MessagePack;

/// <summary>array, map, ext and the timestamp extension.</summary>
public ref partial struct MessagePackReader
{
    private const long UnixEpochTicks = 621355968000000000L;

    /// <summary>Reads an array header. The count is at most MaxCollectionLength and at most the remaining bytes.</summary>
    public int ReadArrayHeader()
    {
        if (TryReadFixCollectionFast(MessagePackCode.MinFixArray, 1, out int fast))
        {
            return fast;
        }

        TryReadCollectionHeader(MessagePackType.Array, throwIfTruncated: true, out int count);
        return count;
    }

    public bool TryReadArrayHeader(out int count) =>
        TryReadCollectionHeader(MessagePackType.Array, throwIfTruncated: false, out count);

    /// <summary>Reads a map header. The count is at most MaxCollectionLength and 2 * count at most the remaining bytes.</summary>
    public int ReadMapHeader()
    {
        if (TryReadFixCollectionFast(MessagePackCode.MinFixMap, 2, out int fast))
        {
            return fast;
        }

        TryReadCollectionHeader(MessagePackType.Map, throwIfTruncated: true, out int count);
        return count;
    }

    public bool TryReadMapHeader(out int count) =>
        TryReadCollectionHeader(MessagePackType.Map, throwIfTruncated: false, out count);

    /// <summary>Reads an ext header; its body length is checked against the remaining bytes and MaxStringSize.</summary>
    public ExtensionHeader ReadExtensionFormatHeader()
    {
        TryPeekBody(MessagePackType.Extension, "ext", throwIfTruncated: true, out Header h);
        Advance(h.Size);
        return new ExtensionHeader(h.ExtensionType, h.Length);
    }

    public bool TryReadExtensionFormatHeader(out ExtensionHeader header)
    {
        if (!TryPeekBody(MessagePackType.Extension, "ext", throwIfTruncated: false, out Header h))
        {
            header = default;
            return false;
        }

        Advance(h.Size);
        header = new ExtensionHeader(h.ExtensionType, h.Length);
        return true;
    }

    /// <summary>Reads an ext value; the data is a slice of the input.</summary>
    public ExtensionResult ReadExtensionFormat()
    {
        TryPeekBody(MessagePackType.Extension, "ext", throwIfTruncated: true, out Header h);
        ReadOnlySequence<byte> data = SliceAhead(h.Size, h.Length);
        Advance(h.Size + h.Length);
        return new ExtensionResult(h.ExtensionType, data);
    }

    /// <summary>Reads the timestamp extension (type -1) in any of its three layouts, as a UTC DateTime.</summary>
    public DateTime ReadDateTime()
    {
        long offset = Consumed;
        TryPeekBody(MessagePackType.Extension, "timestamp", throwIfTruncated: true, out Header h);
        if (h.ExtensionType != ReservedMessagePackExtensionTypeCode.DateTime)
        {
            ThrowHelper.Throw($"expected timestamp (ext type -1) but found ext type {h.ExtensionType}", offset);
        }

        Span<byte> body = stackalloc byte[12];
        if (h.Length is not (4 or 8 or 12))
        {
            ThrowHelper.Throw($"timestamp body must be 4, 8 or 12 bytes, not {h.Length}", offset);
        }

        body = body[..(int)h.Length];
        SliceAhead(h.Size, h.Length).CopyTo(body);
        if (!TryDecodeTimestamp(body, out long seconds, out uint nanoseconds))
        {
            ThrowHelper.Throw($"timestamp nanoseconds {nanoseconds} exceed 999999999", offset);
        }

        if (!TryToDateTime(seconds, nanoseconds, out DateTime value))
        {
            ThrowHelper.Throw($"timestamp {seconds}s is outside the DateTime range", offset);
        }

        Advance(h.Size + h.Length);
        return value;
    }

    /// <summary>Decodes a 4, 8 or 12 byte timestamp body; false when nanoseconds exceed 999999999.</summary>
    internal static bool TryDecodeTimestamp(ReadOnlySpan<byte> body, out long seconds, out uint nanoseconds)
    {
        switch (body.Length)
        {
            case 4:
                seconds = BinaryPrimitives.ReadUInt32BigEndian(body);
                nanoseconds = 0;
                break;
            case 8:
                ulong data64 = BinaryPrimitives.ReadUInt64BigEndian(body);
                nanoseconds = (uint)(data64 >> 34);
                seconds = (long)(data64 & 0x3_ffff_ffffUL);
                break;
            default:
                nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(body);
                seconds = BinaryPrimitives.ReadInt64BigEndian(body[4..]);
                break;
        }

        return nanoseconds <= 999_999_999;
    }

    /// <summary>Converts seconds and nanoseconds since the Unix epoch (truncated to 100 ns ticks) to a UTC DateTime.</summary>
    internal static bool TryToDateTime(long seconds, uint nanoseconds, out DateTime value)
    {
        const long minSeconds = -UnixEpochTicks / TimeSpan.TicksPerSecond;
        const long maxSeconds = (3155378975999999999L - UnixEpochTicks) / TimeSpan.TicksPerSecond;
        if (seconds < minSeconds || seconds > maxSeconds)
        {
            value = default;
            return false;
        }

        value = new DateTime(UnixEpochTicks + (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100), DateTimeKind.Utc);
        return true;
    }

    /// <summary>
    /// Fast path for a fixarray/fixmap in single-segment input whose elements can fit; anything else is left to the
    /// general path, which reports errors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryReadFixCollectionFast(byte fixBase, int bytesPerElement, out int count)
    {
        int position = _position;
        if (_isSingleSegment && (uint)position < (uint)_span.Length)
        {
            byte code = _span[position];
            count = code & 0x0f;
            if ((code & 0xf0) == fixBase
                && count * bytesPerElement <= _span.Length - position - 1
                && count <= _options.MaxCollectionLength)
            {
                _position = position + 1;
                return true;
            }
        }

        count = 0;
        return false;
    }

    private bool TryReadCollectionHeader(MessagePackType expected, bool throwIfTruncated, out int count)
    {
        long offset = Consumed;
        string what = expected == MessagePackType.Array ? "array" : "map";
        count = 0;
        if (!TryPeekHeader(out Header h))
        {
            if (throwIfTruncated)
            {
                ThrowTruncatedHeader(what);
            }

            return false;
        }

        if (h.Type != expected)
        {
            ThrowHelper.WrongType(offset, what, h.Code);
        }

        if (!CheckCollectionLength(h, offset, what, throwIfTruncated))
        {
            return false;
        }

        Advance(h.Size);
        count = (int)h.Length;
        return true;
    }

    /// <summary>
    /// An array of N needs at least N more bytes and a map of N at least 2N: anything longer than that is
    /// truncated or a lie. Over MaxCollectionLength always throws.
    /// </summary>
    private readonly bool CheckCollectionLength(in Header h, long offset, string what, bool throwIfTruncated)
    {
        ulong minimumBytes = h.Type == MessagePackType.Map ? 2UL * h.Length : h.Length;
        long available = Remaining - h.Size;
        if (throwIfTruncated && minimumBytes > (ulong)available)
        {
            ThrowHelper.LengthExceedsRemaining(offset, what, h.Length, available);
        }

        if (h.Length > (uint)_options.MaxCollectionLength)
        {
            ThrowHelper.LengthExceedsLimit(offset, what, h.Length, "MaxCollectionLength", _options.MaxCollectionLength);
        }

        return minimumBytes <= (ulong)available;
    }
}
