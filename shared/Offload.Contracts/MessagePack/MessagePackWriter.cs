using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Offload.Contracts.MessagePack;

/// <summary>
/// Writes MessagePack (spec: https://github.com/msgpack/msgpack/blob/master/spec.md) into an
/// <see cref="IBufferWriter{T}"/>, always choosing the shortest encoding. Allocates nothing: it borrows spans
/// from the buffer writer and commits them on <see cref="Flush"/> (callers must call Flush at the end).
/// </summary>
public ref partial struct MessagePackWriter
{
    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    public MessagePackWriter(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _output = writer;
        _span = default;
        _buffered = 0;
    }

    /// <summary>Commits every buffered byte to the underlying <see cref="IBufferWriter{T}"/>.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
        }

        _buffered = 0;
        _span = default;
    }

    public void WriteNil() => WriteByte(MessagePackCode.Nil);

    public void Write(bool value) => WriteByte(value ? MessagePackCode.True : MessagePackCode.False);

    public void Write(byte value) => Write((ulong)value);

    public void Write(sbyte value) => Write((long)value);

    public void Write(short value) => Write((long)value);

    public void Write(ushort value) => Write((ulong)value);

    public void Write(int value)
    {
        if ((uint)value <= MessagePackCode.MaxFixInt)
        {
            WriteByte((byte)value);
            return;
        }

        Write((long)value);
    }

    public void Write(uint value) => Write((ulong)value);

    /// <summary>Writes a signed integer in its shortest form (non-negative values use the unsigned forms).</summary>
    public void Write(long value)
    {
        if (value >= 0)
        {
            Write((ulong)value);
            return;
        }

        if (value >= -32)
        {
            WriteByte(unchecked((byte)value));
        }
        else if (value >= sbyte.MinValue)
        {
            Span<byte> s = Reserve(2);
            s[0] = MessagePackCode.Int8;
            s[1] = unchecked((byte)value);
            _buffered += 2;
        }
        else if (value >= short.MinValue)
        {
            Span<byte> s = Reserve(3);
            s[0] = MessagePackCode.Int16;
            BinaryPrimitives.WriteInt16BigEndian(s[1..], (short)value);
            _buffered += 3;
        }
        else if (value >= int.MinValue)
        {
            Span<byte> s = Reserve(5);
            s[0] = MessagePackCode.Int32;
            BinaryPrimitives.WriteInt32BigEndian(s[1..], (int)value);
            _buffered += 5;
        }
        else
        {
            Span<byte> s = Reserve(9);
            s[0] = MessagePackCode.Int64;
            BinaryPrimitives.WriteInt64BigEndian(s[1..], value);
            _buffered += 9;
        }
    }

    /// <summary>Writes an unsigned integer in its shortest form.</summary>
    public void Write(ulong value)
    {
        if (value <= MessagePackCode.MaxFixInt)
        {
            WriteByte((byte)value);
        }
        else if (value <= byte.MaxValue)
        {
            Span<byte> s = Reserve(2);
            s[0] = MessagePackCode.UInt8;
            s[1] = (byte)value;
            _buffered += 2;
        }
        else if (value <= ushort.MaxValue)
        {
            Span<byte> s = Reserve(3);
            s[0] = MessagePackCode.UInt16;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)value);
            _buffered += 3;
        }
        else if (value <= uint.MaxValue)
        {
            Span<byte> s = Reserve(5);
            s[0] = MessagePackCode.UInt32;
            BinaryPrimitives.WriteUInt32BigEndian(s[1..], (uint)value);
            _buffered += 5;
        }
        else
        {
            Span<byte> s = Reserve(9);
            s[0] = MessagePackCode.UInt64;
            BinaryPrimitives.WriteUInt64BigEndian(s[1..], value);
            _buffered += 9;
        }
    }

    /// <summary>Writes float32 (0xca).</summary>
    public void Write(float value)
    {
        Span<byte> s = Reserve(5);
        s[0] = MessagePackCode.Float32;
        BinaryPrimitives.WriteSingleBigEndian(s[1..], value);
        _buffered += 5;
    }

    /// <summary>Writes float64 (0xcb).</summary>
    public void Write(double value)
    {
        Span<byte> s = Reserve(9);
        s[0] = MessagePackCode.Float64;
        BinaryPrimitives.WriteDoubleBigEndian(s[1..], value);
        _buffered += 9;
    }

    /// <summary>Writes an array header: fixarray, array16 or array32.</summary>
    public void WriteArrayHeader(int count)
    {
        if (count < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count));
        }

        WriteArrayHeader((uint)count);
    }

    public void WriteArrayHeader(uint count) =>
        WriteHeader(count, 0x90, 15, MessagePackCode.Array16, MessagePackCode.Array32);

    /// <summary>Writes a map header: fixmap, map16 or map32.</summary>
    public void WriteMapHeader(int count)
    {
        if (count < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(count));
        }

        WriteMapHeader((uint)count);
    }

    public void WriteMapHeader(uint count) =>
        WriteHeader(count, 0x80, 15, MessagePackCode.Map16, MessagePackCode.Map32);

    /// <summary>Copies already-encoded MessagePack bytes verbatim.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty)
        {
            return;
        }

        Span<byte> s = Reserve(raw.Length);
        raw.CopyTo(s);
        _buffered += raw.Length;
    }

    /// <summary>Copies already-encoded MessagePack bytes verbatim.</summary>
    public void WriteRaw(in ReadOnlySequence<byte> raw)
    {
        foreach (ReadOnlyMemory<byte> segment in raw)
        {
            WriteRaw(segment.Span);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteByte(byte value)
    {
        Span<byte> s = Reserve(1);
        s[0] = value;
        _buffered++;
    }

    /// <summary>fix (up to fixMax, OR-ed into fixBase), then 16-bit and 32-bit forms.</summary>
    private void WriteHeader(uint value, byte fixBase, uint fixMax, byte code16, byte code32)
    {
        if (value <= fixMax)
        {
            WriteByte((byte)(fixBase | value));
        }
        else if (value <= ushort.MaxValue)
        {
            Span<byte> s = Reserve(3);
            s[0] = code16;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)value);
            _buffered += 3;
        }
        else
        {
            Span<byte> s = Reserve(5);
            s[0] = code32;
            BinaryPrimitives.WriteUInt32BigEndian(s[1..], value);
            _buffered += 5;
        }
    }

    /// <summary>Returns the unwritten part of the current span, holding at least <paramref name="size"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Grow(size);
        }

        return _span[_buffered..];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size)
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = _output.GetSpan(size);
        if (_span.Length < size)
        {
            throw new InvalidOperationException("The IBufferWriter returned a span smaller than requested.");
        }
    }
}
