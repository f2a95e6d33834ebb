using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Offload.Contracts.MessagePack;

/// <summary>
/// Reads MessagePack from a <see cref="ReadOnlySequence{T}"/> and treats every byte as hostile.
/// <list type="bullet">
/// <item><c>Try*</c> returns false and consumes nothing when the input is incomplete.</item>
/// <item><c>Read*</c> throws <see cref="MessagePackSerializationException"/> (reason "truncated: ...") instead.</item>
/// <item>A wrong type, a malformed value or a value over a <see cref="MessagePackReaderOptions"/> limit always
/// throws <see cref="MessagePackSerializationException"/>, with the offset of the value.</item>
/// </list>
/// Every declared length is checked against the remaining bytes and the limits before anything is allocated.
/// A single-segment input is parsed straight from a span; multi-segment input goes through a
/// <see cref="SequenceReader{T}"/>.
/// </summary>
public ref partial struct MessagePackReader
{
    private readonly ReadOnlySequence<byte> _sequence;
    private readonly ReadOnlySpan<byte> _span;
    private readonly MessagePackReaderOptions _options;
    private readonly bool _isSingleSegment;
    private int _position;
    private SequenceReader<byte> _reader;

    public MessagePackReader(ReadOnlyMemory<byte> memory)
        : this(new ReadOnlySequence<byte>(memory), MessagePackReaderOptions.Default)
    {
    }

    public MessagePackReader(ReadOnlySequence<byte> sequence)
        : this(sequence, MessagePackReaderOptions.Default)
    {
    }

    /// <exception cref="MessagePackSerializationException">The sequence is larger than MaxFrameSize.</exception>
    public MessagePackReader(ReadOnlySequence<byte> sequence, MessagePackReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (sequence.Length > options.MaxFrameSize)
        {
            ThrowHelper.LengthExceedsLimit(options.MaxFrameSize, "input", (ulong)sequence.Length, "MaxFrameSize", options.MaxFrameSize);
        }

        _sequence = sequence;
        _options = options;
        _isSingleSegment = sequence.IsSingleSegment;
        _span = _isSingleSegment ? sequence.FirstSpan : default;
        _reader = _isSingleSegment ? default : new SequenceReader<byte>(sequence);
        _position = 0;
        Depth = 0;
    }

    public readonly MessagePackReaderOptions Options => _options;

    /// <summary>The input this reader was created over.</summary>
    public readonly ReadOnlySequence<byte> Sequence => _sequence;

    /// <summary>Bytes consumed since the start of the input.</summary>
    public readonly long Consumed => _isSingleSegment ? _position : _reader.Consumed;

    public readonly bool End => Remaining == 0;

    public readonly long Remaining => _isSingleSegment ? _span.Length - _position : _reader.Remaining;

    public readonly SequencePosition Position =>
        _isSingleSegment ? _sequence.GetPosition(_position) : _reader.Position;

    /// <summary>Current nesting depth; incremented by <see cref="DepthStep"/>, decremented by the caller.</summary>
    public int Depth { get; set; }

    /// <summary>The next format code, without consuming it.</summary>
    public readonly byte NextCode
    {
        get
        {
            if (!TryPeekByte(out byte code))
            {
                ThrowHelper.Truncated(Consumed, "value", 1, 0);
            }

            return code;
        }
    }

    public readonly MessagePackType NextMessagePackType => MessagePackCode.ToMessagePackType(NextCode);

    /// <summary>True when the next value is nil (false at the end of input).</summary>
    public readonly bool IsNil => TryPeekByte(out byte code) && code == MessagePackCode.Nil;

    /// <summary>A copy of this reader at the same position, for looking ahead without consuming (as in MessagePack-CSharp).</summary>
    public readonly MessagePackReader CreatePeekReader() => this;

    /// <summary>Enters one more level of nesting; throws when it would exceed MaxDepth.</summary>
    public void DepthStep()
    {
        if (++Depth > _options.MaxDepth)
        {
            ThrowHelper.DepthExceeded(Consumed, Depth, _options.MaxDepth);
        }

        // Recursion per level is small; probing the stack every 16 levels keeps DepthStep cheap on hot paths.
        if ((Depth & 15) == 0 && !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            ThrowHelper.Throw("nesting too deep for the thread's stack", Consumed);
        }
    }

    public bool TryReadNil()
    {
        if (IsNil)
        {
            Advance(1);
            return true;
        }

        return false;
    }

    public void ReadNil()
    {
        if (NextCode != MessagePackCode.Nil)
        {
            ThrowHelper.WrongType(Consumed, "nil", NextCode);
        }

        Advance(1);
    }

    public bool ReadBoolean()
    {
        byte code = NextCode;
        if (code is not (MessagePackCode.True or MessagePackCode.False))
        {
            ThrowHelper.WrongType(Consumed, "bool", code);
        }

        Advance(1);
        return code == MessagePackCode.True;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly bool TryPeekByte(out byte value)
    {
        if (_isSingleSegment)
        {
            if ((uint)_position < (uint)_span.Length)
            {
                value = _span[_position];
                return true;
            }

            value = 0;
            return false;
        }

        return _reader.TryPeek(out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(long count)
    {
        if (_isSingleSegment)
        {
            _position += (int)count;
        }
        else
        {
            _reader.Advance(count);
        }
    }

    /// <summary>The next <paramref name="length"/> bytes after <paramref name="skip"/> header bytes, as a slice of the input.</summary>
    private readonly ReadOnlySequence<byte> SliceAhead(int skip, long length) =>
        _isSingleSegment
            ? _sequence.Slice(_position + skip, length)
            : _sequence.Slice(_reader.Position).Slice(skip, length);

    /// <summary>
    /// Decodes the header of the next value without consuming it. Returns false when the header is incomplete;
    /// throws on the never-used code 0xc1.
    /// </summary>
    private readonly bool TryPeekHeader(out Header header)
    {
        if (_isSingleSegment)
        {
            return DecodeHeader(_span[_position..], Consumed, out header);
        }

        ReadOnlySpan<byte> unread = _reader.UnreadSpan;
        if (unread.Length >= Header.MaxSize)
        {
            return DecodeHeader(unread, Consumed, out header);
        }

        Span<byte> scratch = stackalloc byte[Header.MaxSize];
        int available = (int)Math.Min(Header.MaxSize, _reader.Remaining);
        _reader.TryCopyTo(scratch[..available]);
        return DecodeHeader(scratch[..available], Consumed, out header);
    }

    /// <summary>Peeks the header or throws "truncated" when it is incomplete.</summary>
    private readonly Header PeekHeader(string what)
    {
        if (!TryPeekHeader(out Header header))
        {
            ThrowTruncatedHeader(what);
        }

        return header;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTruncatedHeader(string what)
    {
        long remaining = Remaining;
        int needed = remaining == 0 ? 1 : Header.SizeOf(NextCode);
        ThrowHelper.Truncated(Consumed, what, needed, remaining);
    }

    private static bool DecodeHeader(ReadOnlySpan<byte> s, long offset, out Header h)
    {
        h = default;
        if (s.IsEmpty)
        {
            return false;
        }

        byte c = s[0];
        h.Code = c;
        h.Type = MessagePackCode.ToMessagePackType(c);
        int size = Header.SizeOf(c);
        if (size == 0)
        {
            ThrowHelper.InvalidCode(offset, c);
        }

        if (s.Length < size)
        {
            return false;
        }

        h.Size = size;
        switch (c)
        {
            case <= MessagePackCode.MaxFixInt:
                h.Bits = c;
                break;
            case <= MessagePackCode.MaxFixArray:
                h.Length = c & 0x0fu;
                break;
            case <= MessagePackCode.MaxFixStr:
                h.Length = c & 0x1fu;
                break;
            case >= MessagePackCode.MinNegativeFixInt:
                h.Bits = unchecked((ulong)(sbyte)c);
                h.IsNegative = true;
                break;
            case MessagePackCode.Bin8 or MessagePackCode.Str8:
                h.Length = s[1];
                break;
            case MessagePackCode.Bin16 or MessagePackCode.Str16 or MessagePackCode.Array16 or MessagePackCode.Map16:
                h.Length = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
                break;
            case MessagePackCode.Bin32 or MessagePackCode.Str32 or MessagePackCode.Array32 or MessagePackCode.Map32:
                h.Length = BinaryPrimitives.ReadUInt32BigEndian(s[1..]);
                break;
            case MessagePackCode.Ext8:
                h.Length = s[1];
                h.ExtensionType = unchecked((sbyte)s[2]);
                break;
            case MessagePackCode.Ext16:
                h.Length = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
                h.ExtensionType = unchecked((sbyte)s[3]);
                break;
            case MessagePackCode.Ext32:
                h.Length = BinaryPrimitives.ReadUInt32BigEndian(s[1..]);
                h.ExtensionType = unchecked((sbyte)s[5]);
                break;
            case >= MessagePackCode.FixExt1 and <= MessagePackCode.FixExt16:
                h.Length = 1u << (c - MessagePackCode.FixExt1);
                h.ExtensionType = unchecked((sbyte)s[1]);
                break;
            case MessagePackCode.Float32 or MessagePackCode.UInt32:
                h.Bits = BinaryPrimitives.ReadUInt32BigEndian(s[1..]);
                break;
            case MessagePackCode.Float64 or MessagePackCode.UInt64:
                h.Bits = BinaryPrimitives.ReadUInt64BigEndian(s[1..]);
                break;
            case MessagePackCode.UInt8:
                h.Bits = s[1];
                break;
            case MessagePackCode.UInt16:
                h.Bits = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
                break;
            case MessagePackCode.Int8:
                SetSigned(ref h, unchecked((sbyte)s[1]));
                break;
            case MessagePackCode.Int16:
                SetSigned(ref h, BinaryPrimitives.ReadInt16BigEndian(s[1..]));
                break;
            case MessagePackCode.Int32:
                SetSigned(ref h, BinaryPrimitives.ReadInt32BigEndian(s[1..]));
                break;
            case MessagePackCode.Int64:
                SetSigned(ref h, BinaryPrimitives.ReadInt64BigEndian(s[1..]));
                break;
            default:
                break; // nil, true, false: nothing more
        }

        return true;

        static void SetSigned(ref Header h, long value)
        {
            h.Bits = unchecked((ulong)value);
            h.IsNegative = value < 0;
        }
    }

    /// <summary>A decoded value header.</summary>
    private struct Header
    {
        public const int MaxSize = 9;

        public byte Code;
        public MessagePackType Type;

        /// <summary>Bytes of the header, including an int/float's value bytes.</summary>
        public int Size;

        /// <summary>Byte length (str, bin, ext) or element count (array, map).</summary>
        public uint Length;

        /// <summary>Integer value (two's complement when <see cref="IsNegative"/>) or float bits.</summary>
        public ulong Bits;
        public bool IsNegative;
        public sbyte ExtensionType;

        /// <summary>The header size of a code; 0 for the never-used code 0xc1.</summary>
        public static int SizeOf(byte code) => MessagePackCodeTables.HeaderSize[code];
    }
}
