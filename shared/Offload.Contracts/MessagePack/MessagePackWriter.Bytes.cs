using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Offload.Contracts.MessagePack;

/// <summary>str, bin, ext and timestamp formats.</summary>
public ref partial struct MessagePackWriter
{
    private const long UnixEpochTicks = 621355968000000000L;
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    /// <summary>Strict UTF-8: lone surrogates throw instead of silently becoming U+FFFD.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes a str (or nil when <paramref name="value"/> is null).</summary>
    public void Write(string? value)
    {
        if (value is null)
        {
            WriteNil();
            return;
        }

        Write(value.AsSpan());
    }

    /// <summary>Writes UTF-16 text as a UTF-8 str; throws <see cref="ArgumentException"/> on lone surrogates.</summary>
    public void Write(scoped ReadOnlySpan<char> value)
    {
        int byteCount = StrictUtf8.GetByteCount(value);
        WriteStringHeader(byteCount);
        if (byteCount == 0)
        {
            return;
        }

        Span<byte> s = Reserve(byteCount);
        int written = StrictUtf8.GetBytes(value, s);
        _buffered += written;
    }

    /// <summary>Writes already-UTF-8 bytes as a str (not validated).</summary>
    public void WriteString(scoped ReadOnlySpan<byte> utf8)
    {
        WriteStringHeader(utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>Writes already-UTF-8 bytes (for example from <see cref="MessagePackReader.ReadStringSequence"/>) as a str.</summary>
    public void WriteString(in ReadOnlySequence<byte> utf8)
    {
        WriteStringHeader(checked((int)utf8.Length));
        WriteRaw(utf8);
    }

    /// <summary>Writes a bin value from a sequence (for example from <see cref="MessagePackReader.ReadBytes"/>).</summary>
    public void Write(in ReadOnlySequence<byte> bin)
    {
        WriteBinHeader(checked((int)bin.Length));
        WriteRaw(bin);
    }

    /// <summary>Writes a str header: fixstr, str8, str16 or str32.</summary>
    public void WriteStringHeader(int byteCount)
    {
        if (byteCount < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(byteCount));
        }

        if (byteCount <= 31)
        {
            WriteByte((byte)(MessagePackCode.MinFixStr | byteCount));
        }
        else if (byteCount <= byte.MaxValue)
        {
            Span<byte> s = Reserve(2);
            s[0] = MessagePackCode.Str8;
            s[1] = (byte)byteCount;
            _buffered += 2;
        }
        else
        {
            WriteHeader((uint)byteCount, 0, 0, MessagePackCode.Str16, MessagePackCode.Str32);
        }
    }

    /// <summary>Writes a bin value: bin8, bin16 or bin32 header plus the bytes.</summary>
    public void Write(scoped ReadOnlySpan<byte> bin)
    {
        WriteBinHeader(bin.Length);
        WriteRaw(bin);
    }

    /// <summary>Writes a bin header: bin8, bin16 or bin32.</summary>
    public void WriteBinHeader(int length)
    {
        if (length < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(length));
        }

        if (length <= byte.MaxValue)
        {
            Span<byte> s = Reserve(2);
            s[0] = MessagePackCode.Bin8;
            s[1] = (byte)length;
            _buffered += 2;
        }
        else if (length <= ushort.MaxValue)
        {
            Span<byte> s = Reserve(3);
            s[0] = MessagePackCode.Bin16;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)length);
            _buffered += 3;
        }
        else
        {
            Span<byte> s = Reserve(5);
            s[0] = MessagePackCode.Bin32;
            BinaryPrimitives.WriteUInt32BigEndian(s[1..], (uint)length);
            _buffered += 5;
        }
    }

    /// <summary>Writes an ext header: fixext1/2/4/8/16 when the length allows, else ext8, ext16 or ext32.</summary>
    public void WriteExtensionFormatHeader(ExtensionHeader header)
    {
        byte type = unchecked((byte)header.TypeCode);
        byte fix = header.Length switch
        {
            1 => MessagePackCode.FixExt1,
            2 => MessagePackCode.FixExt2,
            4 => MessagePackCode.FixExt4,
            8 => MessagePackCode.FixExt8,
            16 => MessagePackCode.FixExt16,
            _ => 0,
        };
        if (fix != 0)
        {
            Span<byte> f = Reserve(2);
            f[0] = fix;
            f[1] = type;
            _buffered += 2;
        }
        else if (header.Length <= byte.MaxValue)
        {
            Span<byte> s = Reserve(3);
            s[0] = MessagePackCode.Ext8;
            s[1] = (byte)header.Length;
            s[2] = type;
            _buffered += 3;
        }
        else if (header.Length <= ushort.MaxValue)
        {
            Span<byte> s = Reserve(4);
            s[0] = MessagePackCode.Ext16;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)header.Length);
            s[3] = type;
            _buffered += 4;
        }
        else
        {
            Span<byte> s = Reserve(6);
            s[0] = MessagePackCode.Ext32;
            BinaryPrimitives.WriteUInt32BigEndian(s[1..], header.Length);
            s[5] = type;
            _buffered += 6;
        }
    }

    /// <summary>Writes a whole ext value (header plus body).</summary>
    public void WriteExtensionFormat(ExtensionResult extension)
    {
        WriteExtensionFormatHeader(new ExtensionHeader(extension.TypeCode, checked((uint)extension.Data.Length)));
        WriteRaw(extension.Data);
    }

    /// <summary>Writes an ext value from a span body.</summary>
    public void WriteExtensionFormat(sbyte typeCode, scoped ReadOnlySpan<byte> data)
    {
        WriteExtensionFormatHeader(new ExtensionHeader(typeCode, (uint)data.Length));
        WriteRaw(data);
    }

    /// <summary>
    /// Writes the timestamp extension (type -1) in the shortest of timestamp 32/64/96. Local times are
    /// converted to UTC; Unspecified is taken as UTC.
    /// </summary>
    public void Write(DateTime value)
    {
        if (value.Kind == DateTimeKind.Local)
        {
            value = value.ToUniversalTime();
        }

        long ticks = value.Ticks - UnixEpochTicks;
        long seconds = Math.DivRem(ticks, TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TicksPerSecond;
        }

        WriteTimestamp(seconds, (uint)(remainder * 100));
    }

    /// <summary>Writes a timestamp from seconds since the Unix epoch and nanoseconds (0..999999999).</summary>
    public void WriteTimestamp(long seconds, uint nanoseconds)
    {
        if (nanoseconds > 999_999_999)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(nanoseconds));
        }

        const byte type = unchecked((byte)ReservedMessagePackExtensionTypeCode.DateTime);
        if ((seconds >> 34) == 0)
        {
            ulong data64 = ((ulong)nanoseconds << 34) | (ulong)seconds;
            if ((data64 & 0xffffffff00000000UL) == 0)
            {
                Span<byte> s = Reserve(6);
                s[0] = MessagePackCode.FixExt4;
                s[1] = type;
                BinaryPrimitives.WriteUInt32BigEndian(s[2..], (uint)data64);
                _buffered += 6;
            }
            else
            {
                Span<byte> s = Reserve(10);
                s[0] = MessagePackCode.FixExt8;
                s[1] = type;
                BinaryPrimitives.WriteUInt64BigEndian(s[2..], data64);
                _buffered += 10;
            }
        }
        else
        {
            Span<byte> s = Reserve(15);
            s[0] = MessagePackCode.Ext8;
            s[1] = 12;
            s[2] = type;
            BinaryPrimitives.WriteUInt32BigEndian(s[3..], nanoseconds);
            BinaryPrimitives.WriteInt64BigEndian(s[7..], seconds);
            _buffered += 15;
        }
    }
}
