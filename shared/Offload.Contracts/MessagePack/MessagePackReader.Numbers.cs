using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Offload.Contracts.MessagePack;

/// <summary>Integers (any encoding that fits the target type) and floats.</summary>
public ref partial struct MessagePackReader
{
    public byte ReadByte() => (byte)ReadUnsigned(byte.MaxValue, "Byte");

    public sbyte ReadSByte() => (sbyte)ReadSigned(sbyte.MinValue, sbyte.MaxValue, "SByte");

    public short ReadInt16() => (short)ReadSigned(short.MinValue, short.MaxValue, "Int16");

    public ushort ReadUInt16() => (ushort)ReadUnsigned(ushort.MaxValue, "UInt16");

    public int ReadInt32() => (int)ReadSigned(int.MinValue, int.MaxValue, "Int32");

    public uint ReadUInt32() => (uint)ReadUnsigned(uint.MaxValue, "UInt32");

    public long ReadInt64() => ReadSigned(long.MinValue, long.MaxValue, "Int64");

    public ulong ReadUInt64() => ReadUnsigned(ulong.MaxValue, "UInt64");

    /// <summary>
    /// Hot-path read of an unsigned integer of any width up to <paramref name="max"/> from single-segment input.
    /// Returns false and consumes nothing for anything else (nil, another type, out of range, truncated or
    /// multi-segment input); the caller then takes the general path, which reports errors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryReadUnsignedFast(ulong max, out ulong value)
    {
        int position = _position;
        if (_isSingleSegment && (uint)position < (uint)_span.Length && _span[position] <= MessagePackCode.MaxFixInt && _span[position] <= max)
        {
            _position = position + 1;
            value = _span[position];
            return true;
        }

        if (TryPeekIntegerFast(out value, out bool isNegative, out int size) && !isNegative && value <= max)
        {
            _position += size;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Hot-path read of a float32 from single-segment input; false (nothing consumed) for anything else.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryReadSingleFast(out float value)
    {
        int position = _position;
        if (_isSingleSegment && _span.Length - position >= 5 && _span[position] == MessagePackCode.Float32)
        {
            _position = position + 5;
            value = BinaryPrimitives.ReadSingleBigEndian(_span.Slice(position + 1, 4));
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Reads float32 or float64 (narrowed), or any integer (converted), as MessagePack-CSharp does.</summary>
    public float ReadSingle()
    {
        int position = _position;
        if (_isSingleSegment && _span.Length - position >= 5 && _span[position] == MessagePackCode.Float32)
        {
            _position = position + 5;
            return BinaryPrimitives.ReadSingleBigEndian(_span.Slice(position + 1, 4));
        }

        long offset = Consumed;
        Header h = PeekHeader("float");
        float value = h.Code switch
        {
            MessagePackCode.Float32 => BitConverter.Int32BitsToSingle(unchecked((int)(uint)h.Bits)),
            MessagePackCode.Float64 => (float)BitConverter.Int64BitsToDouble(unchecked((long)h.Bits)),
            _ when h.Type == MessagePackType.Integer => h.IsNegative ? unchecked((long)h.Bits) : h.Bits,
            _ => WrongType<float>(offset, "float", h.Code),
        };
        Advance(h.Size);
        return value;
    }

    /// <summary>Reads float64 or float32 (widened), or any integer (converted), as MessagePack-CSharp does.</summary>
    public double ReadDouble()
    {
        int position = _position;
        if (_isSingleSegment && _span.Length - position >= 9 && _span[position] == MessagePackCode.Float64)
        {
            _position = position + 9;
            return BinaryPrimitives.ReadDoubleBigEndian(_span.Slice(position + 1, 8));
        }

        long offset = Consumed;
        Header h = PeekHeader("float");
        double value = h.Code switch
        {
            MessagePackCode.Float64 => BitConverter.Int64BitsToDouble(unchecked((long)h.Bits)),
            MessagePackCode.Float32 => BitConverter.Int32BitsToSingle(unchecked((int)(uint)h.Bits)),
            _ when h.Type == MessagePackType.Integer => h.IsNegative ? unchecked((long)h.Bits) : h.Bits,
            _ => WrongType<double>(offset, "float", h.Code),
        };
        Advance(h.Size);
        return value;
    }

    /// <summary>Reads any integer as raw 64 bits: two's complement when <paramref name="isNegative"/>, else unsigned.</summary>
    internal ulong ReadIntegerBits(out bool isNegative)
    {
        long offset = Consumed;
        Header h = PeekHeader("integer");
        if (h.Type != MessagePackType.Integer)
        {
            ThrowHelper.WrongType(offset, "integer", h.Code);
        }

        Advance(h.Size);
        isNegative = h.IsNegative;
        return h.Bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long ReadSigned(long min, long max, string target)
    {
        int position = _position;
        if (_isSingleSegment && (uint)position < (uint)_span.Length && _span[position] <= MessagePackCode.MaxFixInt)
        {
            _position = position + 1;
            return _span[position];
        }

        if (TryPeekIntegerFast(out ulong bits, out bool isNegative, out int size)
            && (isNegative ? unchecked((long)bits) >= min : bits <= (ulong)max))
        {
            _position += size;
            return unchecked((long)bits);
        }

        return ReadSignedCore(min, max, target);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadUnsigned(ulong max, string target) =>
        TryReadUnsignedFast(max, out ulong value) ? value : ReadUnsignedCore(max, target);

    /// <summary>
    /// Fast path for single-segment input: decodes a complete integer of any width without consuming it.
    /// Returns false for anything else (wrong type, truncated, multi-segment), which the general path reports.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly bool TryPeekIntegerFast(out ulong bits, out bool isNegative, out int size)
    {
        bits = 0;
        isNegative = false;
        size = 0;
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
        if (code <= MessagePackCode.MaxFixInt)
        {
            bits = code;
            size = 1;
            return true;
        }

        if (code >= MessagePackCode.MinNegativeFixInt)
        {
            bits = unchecked((ulong)(sbyte)code);
            isNegative = true;
            size = 1;
            return true;
        }

        if (code is < MessagePackCode.UInt8 or > MessagePackCode.Int64)
        {
            return false;
        }

        size = MessagePackCodeTables.HeaderSize[code];
        if (s.Length < size)
        {
            return false;
        }

        long signed;
        switch (code)
        {
            case MessagePackCode.UInt8:
                bits = s[1];
                return true;
            case MessagePackCode.UInt16:
                bits = BinaryPrimitives.ReadUInt16BigEndian(s[1..]);
                return true;
            case MessagePackCode.UInt32:
                bits = BinaryPrimitives.ReadUInt32BigEndian(s[1..]);
                return true;
            case MessagePackCode.UInt64:
                bits = BinaryPrimitives.ReadUInt64BigEndian(s[1..]);
                return true;
            case MessagePackCode.Int8:
                signed = unchecked((sbyte)s[1]);
                break;
            case MessagePackCode.Int16:
                signed = BinaryPrimitives.ReadInt16BigEndian(s[1..]);
                break;
            case MessagePackCode.Int32:
                signed = BinaryPrimitives.ReadInt32BigEndian(s[1..]);
                break;
            default:
                signed = BinaryPrimitives.ReadInt64BigEndian(s[1..]);
                break;
        }

        bits = unchecked((ulong)signed);
        isNegative = signed < 0;
        return true;
    }

    private long ReadSignedCore(long min, long max, string target)
    {
        long offset = Consumed;
        Header h = PeekHeader("integer");
        if (h.Type != MessagePackType.Integer)
        {
            ThrowHelper.WrongType(offset, "integer", h.Code);
        }

        if (h.IsNegative ? unchecked((long)h.Bits) < min : h.Bits > (ulong)max)
        {
            ThrowHelper.Overflow(offset, target);
        }

        Advance(h.Size);
        return unchecked((long)h.Bits);
    }

    private ulong ReadUnsignedCore(ulong max, string target)
    {
        long offset = Consumed;
        Header h = PeekHeader("integer");
        if (h.Type != MessagePackType.Integer)
        {
            ThrowHelper.WrongType(offset, "integer", h.Code);
        }

        if (h.IsNegative || h.Bits > max)
        {
            ThrowHelper.Overflow(offset, target);
        }

        Advance(h.Size);
        return h.Bits;
    }

    private static T WrongType<T>(long offset, string expected, byte code)
    {
        ThrowHelper.WrongType(offset, expected, code);
        return default!;
    }
}
