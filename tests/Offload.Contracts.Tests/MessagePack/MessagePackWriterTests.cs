using System.Buffers;
using Offload.Contracts.MessagePack;
using static Offload.Contracts.Tests.MessagePack.MessagePackTestCodec;

namespace Offload.Contracts.Tests.MessagePack;

/// <summary>Byte-for-byte encodings at every width boundary, checked against the spec's format table.</summary>
public sealed class MessagePackWriterTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(1L, "01")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "cc80")]
    [InlineData(255L, "ccff")]
    [InlineData(256L, "cd0100")]
    [InlineData(65535L, "cdffff")]
    [InlineData(65536L, "ce00010000")]
    [InlineData(4294967295L, "ceffffffff")]
    [InlineData(4294967296L, "cf0000000100000000")]
    [InlineData(long.MaxValue, "cf7fffffffffffffff")]
    [InlineData(-1L, "ff")]
    [InlineData(-32L, "e0")]
    [InlineData(-33L, "d0df")]
    [InlineData(-128L, "d080")]
    [InlineData(-129L, "d1ff7f")]
    [InlineData(-32768L, "d18000")]
    [InlineData(-32769L, "d2ffff7fff")]
    [InlineData(-2147483648L, "d280000000")]
    [InlineData(-2147483649L, "d3ffffffff7fffffff")]
    [InlineData(long.MinValue, "d38000000000000000")]
    public void WriteInt64_Boundary_ShortestEncodingAndRoundTrips(long value, string hex)
    {
        byte[] bytes = Encode((ref MessagePackWriter w) => w.Write(value));

        Assert.Equal(hex, Hex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.Equal(value, reader.ReadInt64());
        Assert.True(reader.End);
        Assert.Equal(value, DecodeValue(bytes));
    }

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "cc80")]
    [InlineData(255UL, "ccff")]
    [InlineData(256UL, "cd0100")]
    [InlineData(65535UL, "cdffff")]
    [InlineData(65536UL, "ce00010000")]
    [InlineData(4294967295UL, "ceffffffff")]
    [InlineData(4294967296UL, "cf0000000100000000")]
    [InlineData(9223372036854775808UL, "cf8000000000000000")]
    [InlineData(ulong.MaxValue, "cfffffffffffffffff")]
    public void WriteUInt64_Boundary_ShortestEncodingAndRoundTrips(ulong value, string hex)
    {
        byte[] bytes = Encode((ref MessagePackWriter w) => w.Write(value));

        Assert.Equal(hex, Hex(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.Equal(value, reader.ReadUInt64());
        Assert.True(reader.End);
    }

    [Fact]
    public void WriteNarrowIntegers_Boundaries_UseSameShortestForms()
    {
        Assert.Equal("ccff", Hex(Encode((ref MessagePackWriter w) => w.Write(byte.MaxValue))));
        Assert.Equal("d080", Hex(Encode((ref MessagePackWriter w) => w.Write(sbyte.MinValue))));
        Assert.Equal("7f", Hex(Encode((ref MessagePackWriter w) => w.Write(sbyte.MaxValue))));
        Assert.Equal("d18000", Hex(Encode((ref MessagePackWriter w) => w.Write(short.MinValue))));
        Assert.Equal("cdffff", Hex(Encode((ref MessagePackWriter w) => w.Write(ushort.MaxValue))));
        Assert.Equal("d280000000", Hex(Encode((ref MessagePackWriter w) => w.Write(int.MinValue))));
        Assert.Equal("ce7fffffff", Hex(Encode((ref MessagePackWriter w) => w.Write(int.MaxValue))));
        Assert.Equal("ceffffffff", Hex(Encode((ref MessagePackWriter w) => w.Write(uint.MaxValue))));
    }

    [Fact]
    public void WriteNilAndBool_Always_SingleByte()
    {
        Assert.Equal("c0", Hex(Encode((ref MessagePackWriter w) => w.WriteNil())));
        Assert.Equal("c2", Hex(Encode((ref MessagePackWriter w) => w.Write(false))));
        Assert.Equal("c3", Hex(Encode((ref MessagePackWriter w) => w.Write(true))));
        Assert.Equal("c0", Hex(Encode((ref MessagePackWriter w) => w.Write((string?)null))));
    }

    [Theory]
    [InlineData(1.5f, "ca3fc00000")]
    [InlineData(-0.0f, "ca80000000")]
    [InlineData(float.PositiveInfinity, "ca7f800000")]
    [InlineData(float.MaxValue, "ca7f7fffff")]
    public void WriteSingle_Value_Float32(float value, string hex)
    {
        byte[] bytes = Encode((ref MessagePackWriter w) => w.Write(value));

        Assert.Equal(hex, Hex(bytes));
        Assert.Equal(value, new MessagePackReader(bytes).ReadSingle());
        Assert.Equal(value, DecodeValue(bytes));
    }

    [Theory]
    [InlineData(1.5, "cb3ff8000000000000")]
    [InlineData(-2.0, "cbc000000000000000")]
    [InlineData(double.Epsilon, "cb0000000000000001")]
    [InlineData(double.NegativeInfinity, "cbfff0000000000000")]
    public void WriteDouble_Value_Float64(double value, string hex)
    {
        byte[] bytes = Encode((ref MessagePackWriter w) => w.Write(value));

        Assert.Equal(hex, Hex(bytes));
        Assert.Equal(value, new MessagePackReader(bytes).ReadDouble());
        Assert.Equal(value, DecodeValue(bytes));
    }

    [Theory]
    [InlineData(0, "a0")]
    [InlineData(1, "a1")]
    [InlineData(31, "bf")]
    [InlineData(32, "d920")]
    [InlineData(255, "d9ff")]
    [InlineData(256, "da0100")]
    [InlineData(65535, "daffff")]
    [InlineData(65536, "db00010000")]
    public void WriteString_LengthBoundary_ShortestHeaderAndRoundTrips(int length, string headerHex)
    {
        string value = new('x', length);
        byte[] bytes = Encode((ref MessagePackWriter w) => w.Write(value));

        Assert.Equal(headerHex, Hex(bytes.AsSpan(0, headerHex.Length / 2)));
        Assert.Equal(headerHex.Length / 2 + length, bytes.Length);
        Assert.All(bytes.Skip(headerHex.Length / 2), b => Assert.Equal((byte)'x', b));
        Assert.Equal(value, new MessagePackReader(bytes).ReadString());
        Assert.Equal(value, DecodeValue(bytes));
        Assert.Equal(bytes, Encode((ref MessagePackWriter w) => w.WriteString(System.Text.Encoding.UTF8.GetBytes(value))));
    }

    [Fact]
    public void WriteString_MultiByteUtf8_LengthIsUtf8ByteCount()
    {
        byte[] bytes = Encode((ref MessagePackWriter w) => w.Write("é€😀"));

        Assert.Equal("a9c3a9e282acf09f9880", Hex(bytes));
        Assert.Equal("é€😀", new MessagePackReader(bytes).ReadString());
    }

    [Fact]
    public void WriteString_LoneSurrogate_ThrowsArgumentException()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.ThrowsAny<ArgumentException>(() =>
        {
            var w = new MessagePackWriter(buffer);
            w.Write("a\ud800b");
        });
    }

    [Theory]
    [InlineData(0, "c400")]
    [InlineData(1, "c401")]
    [InlineData(255, "c4ff")]
    [InlineData(256, "c50100")]
    [InlineData(65535, "c5ffff")]
    [InlineData(65536, "c600010000")]
    public void WriteBinary_LengthBoundary_ShortestHeaderAndRoundTrips(int length, string headerHex)
    {
        byte[] value = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        byte[] bytes = Encode((ref MessagePackWriter w) => w.Write(value.AsSpan()));

        Assert.Equal(headerHex, Hex(bytes.AsSpan(0, headerHex.Length / 2)));
        Assert.Equal(value, bytes.AsSpan(headerHex.Length / 2).ToArray());
        Assert.Equal(value, new MessagePackReader(bytes).ReadBytes()!.Value.ToArray());
        Assert.Equal(value, DecodeValue(bytes));
    }

    [Theory]
    [InlineData(0, "90", "80")]
    [InlineData(15, "9f", "8f")]
    [InlineData(16, "dc0010", "de0010")]
    [InlineData(65535, "dcffff", "deffff")]
    [InlineData(65536, "dd00010000", "df00010000")]
    public void WriteCollectionHeaders_CountBoundary_ShortestHeaderAndRoundTrips(int count, string arrayHex, string mapHex)
    {
        byte[] array = Encode((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(count);
            for (int i = 0; i < count; i++)
            {
                w.WriteNil();
            }
        });
        byte[] map = Encode((ref MessagePackWriter w) =>
        {
            w.WriteMapHeader((uint)count);
            for (int i = 0; i < 2 * count; i++)
            {
                w.Write(i & 0x7f);
            }
        });

        Assert.Equal(arrayHex, Hex(array.AsSpan(0, arrayHex.Length / 2)));
        Assert.Equal(mapHex, Hex(map.AsSpan(0, mapHex.Length / 2)));
        var arrayReader = new MessagePackReader(array);
        Assert.Equal(count, arrayReader.ReadArrayHeader());
        var mapReader = new MessagePackReader(map);
        Assert.Equal(count, mapReader.ReadMapHeader());
        Assert.Equal(count, ((object?[])DecodeValue(array)!).Length);
        Assert.Equal(count, ((List<KeyValuePair<object?, object?>>)DecodeValue(map)!).Count);
    }

    [Theory]
    [InlineData(1, "d405")]
    [InlineData(2, "d505")]
    [InlineData(4, "d605")]
    [InlineData(8, "d705")]
    [InlineData(16, "d805")]
    [InlineData(0, "c70005")]
    [InlineData(3, "c70305")]
    [InlineData(17, "c71105")]
    [InlineData(255, "c7ff05")]
    [InlineData(256, "c8010005")]
    [InlineData(65535, "c8ffff05")]
    [InlineData(65536, "c90001000005")]
    public void WriteExtension_LengthBoundary_ShortestHeaderAndRoundTrips(int length, string headerHex)
    {
        byte[] data = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        byte[] bytes = Encode((ref MessagePackWriter w) => w.WriteExtensionFormat(5, data));

        Assert.Equal(headerHex, Hex(bytes.AsSpan(0, headerHex.Length / 2)));
        Assert.Equal(headerHex.Length / 2 + length, bytes.Length);
        var reader = new MessagePackReader(bytes);
        ExtensionResult ext = reader.ReadExtensionFormat();
        Assert.Equal(5, ext.TypeCode);
        Assert.Equal(data, ext.Data.ToArray());
        Assert.Equal(new ExtensionValue(5, data), DecodeValue(bytes));
        Assert.Equal(bytes, Encode((ref MessagePackWriter w) => w.WriteExtensionFormat(ext)));
    }

    [Fact]
    public void WriteExtension_NegativeTypeCode_WrittenAsTwosComplement()
    {
        byte[] bytes = Encode((ref MessagePackWriter w) => w.WriteExtensionFormatHeader(new ExtensionHeader(-128, 1)));
        Assert.Equal("d480", Hex(bytes));
    }

    public static TheoryData<DateTime, string> Timestamps => new()
    {
        { new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc), "d6ff00000000" },
        { new DateTime(2106, 2, 7, 6, 28, 15, DateTimeKind.Utc), "d6ffffffffff" },
        { new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1234567), "d7ff1d6f32f05e0be100" },
        { new DateTime(2514, 5, 30, 1, 53, 3, DateTimeKind.Utc).AddTicks(9999999), "d7ffee6b2673ffffffff" },
        { new DateTime(2514, 5, 30, 1, 53, 4, DateTimeKind.Utc), "c70cff000000000000000400000000" },
        { new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc), "c70cff00000000ffffffffffffffff" },
        { DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), "c70cff00000000fffffff1886e0900" },
        { DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc), "c70cff3b9ac99c0000003afff4417f" },
    };

    [Theory]
    [MemberData(nameof(Timestamps))]
    public void WriteDateTime_Value_ShortestTimestampLayout(DateTime value, string hex)
    {
        byte[] bytes = Encode((ref MessagePackWriter w) => w.Write(value));

        Assert.Equal(hex, Hex(bytes));
        DateTime read = new MessagePackReader(bytes).ReadDateTime();
        Assert.Equal(value, read);
        Assert.Equal(DateTimeKind.Utc, read.Kind);
        Assert.Equal(value, DecodeValue(bytes));
    }

    [Fact]
    public void WriteDateTime_LocalKind_ConvertedToUtc()
    {
        DateTime utc = new(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        byte[] local = Encode((ref MessagePackWriter w) => w.Write(utc.ToLocalTime()));
        Assert.Equal(Encode((ref MessagePackWriter w) => w.Write(utc)), local);
    }

    [Fact]
    public void Write_TinyBufferWriterSegments_SameBytesAsLargeBuffer()
    {
        WriteAction write = (ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(4);
            w.Write(ulong.MaxValue);
            w.Write(new string('q', 300));
            w.Write(new DateTime(1969, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            w.Write(2.5);
        };
        byte[] expected = Encode(write);
        var small = new ChunkedBufferWriter(16);
        var writer = new MessagePackWriter(small);
        write(ref writer);
        writer.Flush();

        Assert.Equal(expected, small.ToArray());
    }

    [Fact]
    public void Write_ReusedArrayBufferWriter_AllocatesNothing()
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        WriteMixed(buffer);
        buffer.ResetWrittenCount();
        long before = GC.GetAllocatedBytesForCurrentThread();
        WriteMixed(buffer);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);

        static void WriteMixed(ArrayBufferWriter<byte> buffer)
        {
            var w = new MessagePackWriter(buffer);
            w.WriteArrayHeader(500);
            for (int i = 0; i < 100; i++)
            {
                w.Write(i * 1000);
                w.Write(-i);
                w.Write("flow-name");
                w.Write((ulong)i << 40);
                w.Write(i * 0.5);
            }

            w.Flush();
        }
    }

    /// <summary>A buffer writer that hands out spans of exactly the requested size (at least <c>chunk</c>).</summary>
    private sealed class ChunkedBufferWriter(int chunk) : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count).ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            _current = new byte[Math.Max(sizeHint, chunk)];
            return _current;
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => [.. _written];
    }
}
