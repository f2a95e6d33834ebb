using System.Runtime.CompilerServices;

namespace Offload.Contracts.MessagePack;

/// <summary>Integers (any encoding that fits the target type) and floats.</summary>
public ref partial struct MessagePackReader
{
    public byte ReadByte() =>
        TryReadPositiveFixInt(out byte v) ? v : (byte)ReadUnsignedCore(byte.MaxValue, "Byte");

    public sbyte ReadSByte() =>
        TryReadPositiveFixInt(out byte v) ? (sbyte)v : (sbyte)ReadSignedCore(sbyte.MinValue, sbyte.MaxValue, "SByte");

    public short ReadInt16() =>
        TryReadPositiveFixInt(out byte v) ? v : (short)ReadSignedCore(short.MinValue, short.MaxValue, "Int16");

    public ushort ReadUInt16() =>
        TryReadPositiveFixInt(out byte v) ? v : (ushort)ReadUnsignedCore(ushort.MaxValue, "UInt16");

    public int ReadInt32() =>
        TryReadPositiveFixInt(out byte v) ? v : (int)ReadSignedCore(int.MinValue, int.MaxValue, "Int32");

    public uint ReadUInt32() =>
        TryReadPositiveFixInt(out byte v) ? v : (uint)ReadUnsignedCore(uint.MaxValue, "UInt32");

    public long ReadInt64() =>
        TryReadPositiveFixInt(out byte v) ? v : ReadSignedCore(long.MinValue, long.MaxValue, "Int64");

    public ulong ReadUInt64() =>
        TryReadPositiveFixInt(out byte v) ? v : ReadUnsignedCore(ulong.MaxValue, "UInt64");

    /// <summary>Reads float32 or float64 (narrowed), or any integer (converted), as MessagePack-CSharp does.</summary>
    public float ReadSingle()
    {
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
    private bool TryReadPositiveFixInt(out byte value)
    {
        if (_isSingleSegment && (uint)_position < (uint)_span.Length)
        {
            value = _span[_position];
            if (value <= MessagePackCode.MaxFixInt)
            {
                _position++;
                return true;
            }
        }

        value = 0;
        return false;
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
