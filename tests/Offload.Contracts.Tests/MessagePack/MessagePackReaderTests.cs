using System.Buffers;
using Offload.Contracts.MessagePack;
using static Offload.Contracts.Tests.MessagePack.MessagePackTestCodec;

namespace Offload.Contracts.Tests.MessagePack;

public sealed partial class MessagePackReaderTests
{
    /// <summary>Encodings of boundary values plus seeded random nested trees.</summary>
    public static IEnumerable<byte[]> SampleEncodings()
    {
        object?[] fixedValues =
        [
            null, true, false, 0L, 127L, 128L, 255L, 256L, 65535L, 65536L, 4294967295L, 4294967296L, long.MaxValue,
            ulong.MaxValue, -1L, -32L, -33L, -128L, -129L, -32768L, -32769L, -2147483649L, long.MinValue,
            1.5f, -2.25, "", "abc", new string('x', 31), new string('y', 32), new string('z', 256), "é€😀",
            Array.Empty<byte>(), new byte[300], new object?[] { 1L, "two", new object?[] { 3.0 } },
            new List<KeyValuePair<object?, object?>> { new("k", 1L), new(2L, null) },
            new ExtensionValue(7, [1, 2, 3]), new ExtensionValue(1, new byte[16]),
            new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1234567),
            new DateTime(1950, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            DateTime.UnixEpoch,
        ];
        foreach (object? value in fixedValues)
        {
            yield return EncodeValue(value);
        }

        var random = new RandomMessagePackValues(seed: 7, maxDepth: 3, allowLarge: false);
        for (int i = 0; i < 150; i++)
        {
            yield return EncodeValue(random.Next());
        }
    }

    [Fact]
    public void TrySkip_EveryStrictPrefix_ReturnsFalseAndConsumesNothing()
    {
        foreach (byte[] encoding in SampleEncodings())
        {
            for (int length = 0; length < encoding.Length; length++)
            {
                var reader = new MessagePackReader(encoding.AsMemory(0, length));
                Assert.False(reader.TrySkip(), $"prefix {length} of {Hex(encoding)}");
                Assert.Equal(0, reader.Consumed);
                Assert.Equal(0, reader.Depth);
            }

            var full = new MessagePackReader(encoding);
            Assert.True(full.TrySkip());
            Assert.True(full.End);
        }
    }

    [Fact]
    public void ReadAndSkip_EveryStrictPrefix_ThrowTypedException()
    {
        foreach (byte[] encoding in SampleEncodings())
        {
            for (int length = 0; length < encoding.Length; length++)
            {
                ReadOnlyMemory<byte> prefix = encoding.AsMemory(0, length);
                Assert.Throws<MessagePackSerializationException>(() =>
                {
                    var reader = new MessagePackReader(prefix);
                    MessagePackValueReader.Read(ref reader);
                });
                var ex = Assert.Throws<MessagePackSerializationException>(() =>
                {
                    var reader = new MessagePackReader(prefix);
                    reader.Skip();
                });
                Assert.StartsWith("truncated", ex.Reason, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void TypedTryReads_EveryStrictPrefix_ReturnFalseAndConsumeNothing()
    {
        byte[] str = EncodeValue(new string('s', 300));
        byte[] ext = EncodeValue(new ExtensionValue(3, new byte[20]));
        byte[] array = EncodeValue(Enumerable.Range(0, 20).Select(i => (object?)(long)i).ToArray());
        byte[] map = EncodeValue(new List<KeyValuePair<object?, object?>> { new(1L, 2L), new(3L, 4L) });
        for (int n = 0; n < str.Length; n++)
        {
            var r = new MessagePackReader(str.AsMemory(0, n));
            Assert.False(r.TryReadStringSpan(out _));
            Assert.Equal(0, r.Consumed);
        }

        for (int n = 0; n < ext.Length; n++)
        {
            var r = new MessagePackReader(ext.AsMemory(0, n));
            Assert.False(r.TryReadExtensionFormatHeader(out _));
            Assert.Equal(0, r.Consumed);
        }

        for (int n = 0; n < array.Length; n++)
        {
            var r = new MessagePackReader(array.AsMemory(0, n));
            Assert.False(r.TryReadArrayHeader(out _));
            Assert.Equal(0, r.Consumed);
        }

        for (int n = 0; n < map.Length; n++)
        {
            var r = new MessagePackReader(map.AsMemory(0, n));
            Assert.False(r.TryReadMapHeader(out _));
            Assert.Equal(0, r.Consumed);
        }
    }

    [Theory]
    [InlineData("cd01")]
    [InlineData("ce000000")]
    [InlineData("cf00000000000000")]
    [InlineData("d3ffffffffffffff")]
    [InlineData("ca000000")]
    [InlineData("cb00000000000000")]
    [InlineData("a2ff")]
    [InlineData("d7ff00000000")]
    public void TypedReads_TruncatedScalar_ThrowTruncated(string hex)
    {
        byte[] bytes = FromHex(hex);
        var ex = Assert.Throws<MessagePackSerializationException>(() =>
        {
            var reader = new MessagePackReader(bytes);
            switch (bytes[0])
            {
                case MessagePackCode.Float32 or MessagePackCode.Float64:
                    reader.ReadDouble();
                    break;
                case MessagePackCode.FixExt8:
                    reader.ReadDateTime();
                    break;
                case < 0xc0:
                    reader.ReadString();
                    break;
                default:
                    reader.ReadInt64();
                    break;
            }
        });
        Assert.StartsWith("truncated", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(0, ex.Offset);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Read_MultiSegmentInput_SameValuesAsContiguous(int segmentSize)
    {
        foreach (byte[] encoding in SampleEncodings())
        {
            string expected = CanonicalDump.Of(DecodeValue(encoding));
            ReadOnlySequence<byte> segmented = Segmented(encoding, segmentSize);

            Assert.Equal(expected, CanonicalDump.Of(DecodeValue(segmented)));
            var reader = new MessagePackReader(segmented);
            Assert.Equal(encoding, reader.ReadRaw().ToArray());
            Assert.True(reader.End);
        }
    }

    [Fact]
    public void TrySkip_OneByteAtATimeStream_CompletesExactlyAtLastByte()
    {
        byte[] stream = [.. EncodeValue(new object?[] { "a", 1L, new byte[40] }), .. EncodeValue(300L)];
        int completed = 0;
        long offset = 0;
        for (int available = 1; available <= stream.Length; available++)
        {
            var reader = new MessagePackReader(Segmented(stream.AsSpan((int)offset, available - (int)offset).ToArray(), 1));
            if (reader.TrySkip())
            {
                completed++;
                offset += reader.Consumed;
            }
        }

        Assert.Equal(2, completed);
        Assert.Equal(stream.Length, offset);
    }

    [Fact]
    public void TryReadStringSpan_ContiguousAndSplit_ZeroCopyOnlyWhenContiguous()
    {
        byte[] bytes = EncodeValue("hello");
        var contiguous = new MessagePackReader(bytes);
        Assert.True(contiguous.TryReadStringSpan(out ReadOnlySpan<byte> span));
        Assert.Equal("hello"u8.ToArray(), span.ToArray());
        Assert.True(contiguous.End);

        var split = new MessagePackReader(Segmented(bytes, 3));
        Assert.False(split.TryReadStringSpan(out _));
        Assert.Equal(0, split.Consumed);
        Assert.Equal("hello"u8.ToArray(), split.ReadStringSequence()!.Value.ToArray());

        var nil = new MessagePackReader(new byte[] { MessagePackCode.Nil });
        Assert.False(nil.TryReadStringSpan(out _));
        Assert.Null(nil.ReadString());
    }

    [Theory]
    [InlineData("cc05", 5L)]
    [InlineData("cd0005", 5L)]
    [InlineData("d0fb", -5L)]
    [InlineData("d3fffffffffffffffb", -5L)]
    [InlineData("cf0000000000000005", 5L)]
    public void ReadInt32_NonShortestEncoding_Accepted(string hex, long expected)
    {
        var reader = new MessagePackReader(FromHex(hex));
        Assert.Equal(expected, reader.ReadInt32());
    }

    [Theory]
    [InlineData("cd0100", "Byte")]
    [InlineData("d0ff", "Byte")]
    [InlineData("cc80", "SByte")]
    [InlineData("ce80000000", "Int32")]
    [InlineData("d3ffffffff7fffffff", "Int32")]
    [InlineData("ff", "UInt64")]
    [InlineData("cf8000000000000000", "Int64")]
    [InlineData("ce00010000", "UInt16")]
    public void ReadInteger_OutOfRange_ThrowsTyped(string hex, string target)
    {
        byte[] bytes = FromHex(hex);
        var ex = Assert.Throws<MessagePackSerializationException>(() =>
        {
            var r = new MessagePackReader(bytes);
            _ = target switch
            {
                "Byte" => r.ReadByte(),
                "SByte" => r.ReadSByte(),
                "Int32" => r.ReadInt32(),
                "UInt64" => (long)r.ReadUInt64(),
                "UInt16" => r.ReadUInt16(),
                _ => r.ReadInt64(),
            };
        });
        Assert.Contains(target, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadSingleAndDouble_IntegersAndOtherWidth_Converted()
    {
        Assert.Equal(-5.0, new MessagePackReader(FromHex("fb")).ReadDouble());
        Assert.Equal(1.8446744073709552E19, new MessagePackReader(FromHex("cfffffffffffffffff")).ReadDouble());
        Assert.Equal(1.5, new MessagePackReader(FromHex("ca3fc00000")).ReadDouble());
        Assert.Equal(1.5f, new MessagePackReader(FromHex("cb3ff8000000000000")).ReadSingle());
        Assert.Equal(300f, new MessagePackReader(FromHex("cd012c")).ReadSingle());
    }

    [Fact]
    public void CreatePeekReader_ReadAhead_OriginalPositionUnchanged()
    {
        var reader = new MessagePackReader(FromHex("92a1612a"));
        MessagePackReader peek = reader.CreatePeekReader();
        Assert.Equal(2, peek.ReadArrayHeader());
        Assert.Equal("a", peek.ReadString());

        Assert.Equal(0, reader.Consumed);
        Assert.Equal(2, reader.ReadArrayHeader());
    }

    [Fact]
    public void ReaderState_NilBoolAndPositions_Tracked()
    {
        byte[] bytes = FromHex("c0c3c2a161");
        var reader = new MessagePackReader(Segmented(bytes, 2));
        Assert.True(reader.IsNil);
        Assert.Equal(MessagePackType.Nil, reader.NextMessagePackType);
        Assert.True(reader.TryReadNil());
        Assert.False(reader.TryReadNil());
        Assert.True(reader.ReadBoolean());
        Assert.False(reader.ReadBoolean());
        Assert.Equal(3, reader.Consumed);
        Assert.Equal(2, reader.Remaining);
        Assert.Equal(MessagePackType.String, reader.NextMessagePackType);
        Assert.Equal(0xa1, reader.NextCode);
        Assert.Equal("a", reader.ReadString());
        Assert.True(reader.End);
        Assert.Equal(reader.Sequence.End, reader.Position);
    }

    [Fact]
    public void ReadDateTime_Ts64AndTs96LayoutsFromOtherEncoders_Decoded()
    {
        // A ts64 with zero nanoseconds is legal (just not shortest): 1 second after the epoch.
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1), new MessagePackReader(FromHex("d7ff0000000000000001")).ReadDateTime());
        // A ts96 holding a small value, also legal.
        Assert.Equal(DateTime.UnixEpoch.AddTicks(5), new MessagePackReader(FromHex("c70cff000001f40000000000000000")).ReadDateTime());
    }

    [Theory]
    [InlineData("d5ff0000", "must be 4, 8 or 12")]
    [InlineData("d6fe00000000", "ext type -2")]
    [InlineData("d7ffee6b280000000000", "nanoseconds")]
    [InlineData("c70cff000000007fffffffffffffff", "DateTime range")]
    public void ReadDateTime_InvalidTimestamp_ThrowsTyped(string hex, string reason)
    {
        byte[] bytes = FromHex(hex);
        var ex = Assert.Throws<MessagePackSerializationException>(() =>
        {
            var r = new MessagePackReader(bytes);
            r.ReadDateTime();
        });
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.IsType<ExtensionValue>(DecodeValue(bytes));
    }
}
