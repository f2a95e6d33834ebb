using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Offload.Contracts.MessagePack;

/// <summary>str and bin formats. Every str is validated as strict UTF-8.</summary>
public ref partial struct MessagePackReader
{
    /// <summary>Reads a str (null for nil), rejecting invalid UTF-8.</summary>
    public string? ReadString()
    {
        if (TryPeekShortString(out int headerSize, out ReadOnlySpan<byte> fast))
        {
            _position += headerSize + fast.Length;
            return Encoding.UTF8.GetString(fast);
        }

        if (TryReadNil())
        {
            return null;
        }

        long offset = Consumed;
        TryPeekBody(MessagePackType.String, "str", throwIfTruncated: true, out Header h);
        string value;
        if (_isSingleSegment)
        {
            ReadOnlySpan<byte> bytes = _span.Slice(_position + h.Size, (int)h.Length);
            if (!Utf8.IsValid(bytes))
            {
                ThrowHelper.InvalidUtf8(offset);
            }

            value = Encoding.UTF8.GetString(bytes);
        }
        else
        {
            value = DecodeUtf8(SliceAhead(h.Size, h.Length), offset);
        }

        Advance(h.Size + h.Length);
        return value;
    }

    /// <summary>
    /// Reads a str as its UTF-8 bytes without copying. Returns false (consuming nothing) when the next value is
    /// nil, when the input is incomplete, or when the bytes are split across segments (use
    /// <see cref="ReadStringSequence"/> then). Throws for a non-str value or invalid UTF-8.
    /// </summary>
    public bool TryReadStringSpan(out ReadOnlySpan<byte> utf8)
    {
        if (TryPeekShortString(out int headerSize, out utf8))
        {
            _position += headerSize + utf8.Length;
            return true;
        }

        utf8 = default;
        if (IsNil)
        {
            return false;
        }

        long offset = Consumed;
        if (!TryPeekBody(MessagePackType.String, "str", throwIfTruncated: false, out Header h))
        {
            return false;
        }

        ReadOnlySpan<byte> bytes;
        if (_isSingleSegment)
        {
            bytes = _span.Slice(_position + h.Size, (int)h.Length);
        }
        else
        {
            ReadOnlySpan<byte> unread = _reader.UnreadSpan;
            if (unread.Length - h.Size < h.Length)
            {
                return false;
            }

            bytes = unread.Slice(h.Size, (int)h.Length);
        }

        if (!Utf8.IsValid(bytes))
        {
            ThrowHelper.InvalidUtf8(offset);
        }

        Advance(h.Size + h.Length);
        utf8 = bytes;
        return true;
    }

    /// <summary>Reads a str as a slice of the input (null for nil), rejecting invalid UTF-8.</summary>
    public ReadOnlySequence<byte>? ReadStringSequence()
    {
        if (TryReadNil())
        {
            return null;
        }

        long offset = Consumed;
        TryPeekBody(MessagePackType.String, "str", throwIfTruncated: true, out Header h);
        ReadOnlySequence<byte> bytes = SliceAhead(h.Size, h.Length);
        ValidateUtf8(bytes, offset);
        Advance(h.Size + h.Length);
        return bytes;
    }

    /// <summary>Reads a bin as a slice of the input (null for nil).</summary>
    /// <summary>
    /// Zero-copy read of a bin value that is contiguous in the input (always, for single-segment input). Returns false
    /// and consumes nothing for nil, a bin split across segments, or incomplete input; call <see cref="ReadBytes"/> then.
    /// A wrong type or an over-limit length throws.
    /// </summary>
    public bool TryReadBytesSpan(out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (!_isSingleSegment || IsNil || !TryPeekBody(MessagePackType.Binary, "bin", throwIfTruncated: false, out Header h))
        {
            return false;
        }

        bytes = _span.Slice(_position + h.Size, (int)h.Length);
        _position += h.Size + (int)h.Length;
        return true;
    }

    public ReadOnlySequence<byte>? ReadBytes()
    {
        if (TryReadNil())
        {
            return null;
        }

        TryPeekBody(MessagePackType.Binary, "bin", throwIfTruncated: true, out Header h);
        ReadOnlySequence<byte> bytes = SliceAhead(h.Size, h.Length);
        Advance(h.Size + h.Length);
        return bytes;
    }

    /// <summary>
    /// Peeks a str/bin/ext header and checks its declared body length against the remaining bytes and
    /// MaxStringSize. Incomplete input returns false (or throws "truncated" when <paramref name="throwIfTruncated"/>);
    /// a wrong type or an over-limit length always throws.
    /// </summary>
    private readonly bool TryPeekBody(MessagePackType expected, string what, bool throwIfTruncated, out Header h)
    {
        long offset = Consumed;
        if (!TryPeekHeader(out h))
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

        return CheckBody(h, offset, what, throwIfTruncated);
    }

    /// <summary>Checks a str/bin/ext header's body length against the remaining bytes and MaxStringSize.</summary>
    private readonly bool CheckBody(in Header h, long offset, string what, bool throwIfTruncated)
    {
        long available = Remaining - h.Size;
        if (throwIfTruncated && h.Length > available)
        {
            ThrowHelper.LengthExceedsRemaining(offset, what, h.Length, available);
        }

        if (h.Length > (uint)_options.MaxStringSize)
        {
            ThrowHelper.LengthExceedsLimit(offset, what, h.Length, "MaxStringSize", _options.MaxStringSize);
        }

        return h.Length <= available;
    }

    /// <summary>
    /// Fast path: a complete, valid fixstr or str8 in single-segment input. Anything else (including every
    /// error) returns false and is left to the general path, which reports it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly bool TryPeekShortString(out int headerSize, out ReadOnlySpan<byte> utf8)
    {
        utf8 = default;
        headerSize = 0;
        if (!_isSingleSegment)
        {
            return false;
        }

        ReadOnlySpan<byte> s = _span[_position..];
        if (s.IsEmpty)
        {
            return false;
        }

        byte code = s[0];
        int length;
        if ((code & 0xe0) == MessagePackCode.MinFixStr)
        {
            headerSize = 1;
            length = code & 0x1f;
        }
        else if (code == MessagePackCode.Str8 && s.Length >= 2)
        {
            headerSize = 2;
            length = s[1];
        }
        else
        {
            return false;
        }

        if (length > s.Length - headerSize || length > _options.MaxStringSize)
        {
            return false;
        }

        ReadOnlySpan<byte> bytes = s.Slice(headerSize, length);
        if (!Utf8.IsValid(bytes))
        {
            return false;
        }

        utf8 = bytes;
        return true;
    }

    private static void ValidateUtf8(in ReadOnlySequence<byte> bytes, long offset)
    {
        if (bytes.IsSingleSegment)
        {
            if (!Utf8.IsValid(bytes.FirstSpan))
            {
                ThrowHelper.InvalidUtf8(offset);
            }

            return;
        }

        int length = (int)bytes.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            bytes.CopyTo(rented);
            if (!Utf8.IsValid(rented.AsSpan(0, length)))
            {
                ThrowHelper.InvalidUtf8(offset);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string DecodeUtf8(in ReadOnlySequence<byte> bytes, long offset)
    {
        if (bytes.IsSingleSegment)
        {
            if (!Utf8.IsValid(bytes.FirstSpan))
            {
                ThrowHelper.InvalidUtf8(offset);
            }

            return Encoding.UTF8.GetString(bytes.FirstSpan);
        }

        int length = (int)bytes.Length;
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            bytes.CopyTo(rented);
            ReadOnlySpan<byte> span = rented.AsSpan(0, length);
            if (!Utf8.IsValid(span))
            {
                ThrowHelper.InvalidUtf8(offset);
            }

            return Encoding.UTF8.GetString(span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
