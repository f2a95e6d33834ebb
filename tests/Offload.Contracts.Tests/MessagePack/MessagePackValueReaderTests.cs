using System.Buffers;
using Offload.Contracts.MessagePack;
using static Offload.Contracts.Tests.MessagePack.MessagePackTestCodec;

namespace Offload.Contracts.Tests.MessagePack;

public sealed class MessagePackValueReaderTests
{
    [Fact]
    public void Read_RandomTrees_RoundTripThroughValueWriter()
    {
        var random = new RandomMessagePackValues(seed: 3, maxDepth: 4, allowLarge: false);
        for (int i = 0; i < 2000; i++)
        {
            object? value = random.Next();
            byte[] bytes = EncodeValue(value);
            object? decoded = DecodeValue(bytes);

            Assert.Equal(CanonicalDump.Of(value), CanonicalDump.Of(decoded));
            Assert.Equal(bytes, EncodeValue(decoded));
        }
    }

    [Fact]
    public void Read_IntegersAcrossSignBoundary_LongOrULong()
    {
        Assert.IsType<long>(DecodeValue(FromHex("cf7fffffffffffffff")));
        Assert.Equal(9223372036854775808UL, DecodeValue(FromHex("cf8000000000000000")));
        Assert.Equal(-1L, DecodeValue(FromHex("d3ffffffffffffffff")));
    }

    [Fact]
    public void Read_MapWithNilAndRepeatedKeys_KeptInWireOrder()
    {
        var pairs = Assert.IsType<List<KeyValuePair<object?, object?>>>(DecodeValue(FromHex("83c001a16102a16103")));
        Assert.Equal([null, "a", "a"], pairs.Select(p => p.Key));
        Assert.Equal([1L, 2L, 3L], pairs.Select(p => p.Value));
    }

    [Fact]
    public void Write_DictionaryListAndNarrowIntegers_EncodedAsMapArrayAndShortestInts()
    {
        var dictionary = new Dictionary<string, int> { ["a"] = 1 };
        Assert.Equal("81a16101", Hex(EncodeValue(dictionary)));
        Assert.Equal("93 01 cd0100 ff".Replace(" ", "", StringComparison.Ordinal), Hex(EncodeValue(new List<object> { (byte)1, (ushort)256, (sbyte)-1 })));
        Assert.Throws<ArgumentException>(() => EncodeValue(new object()));
    }

    [Fact]
    public void ReadRaw_NestedValue_ReturnsExactBytesAndWriteRawCopiesThem()
    {
        byte[] first = EncodeValue(new object?[] { 1L, new List<KeyValuePair<object?, object?>> { new("k", "v") }, null });
        byte[] input = [.. first, 0x2a];
        var reader = new MessagePackReader(input);
        ReadOnlySequence<byte> raw = reader.ReadRaw();

        Assert.Equal(first, raw.ToArray());
        Assert.Equal(42, reader.ReadInt32());
        Assert.Equal(first, Encode((ref MessagePackWriter w) => w.WriteRaw(raw)));
        Assert.Equal(first, Encode((ref MessagePackWriter w) => w.WriteRaw(first)));
    }

    [Fact]
    public void WriteSequences_StrAndBinFromSegmentedInput_CopiedVerbatim()
    {
        byte[] input = EncodeValue(new object?[] { new string('w', 40), new byte[300] });
        var reader = new MessagePackReader(Segmented(input, 7));
        reader.ReadArrayHeader();
        ReadOnlySequence<byte> str = reader.ReadStringSequence()!.Value;
        ReadOnlySequence<byte> bin = reader.ReadBytes()!.Value;

        byte[] output = Encode((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(2);
            w.WriteString(str);
            w.Write(bin);
        });
        Assert.Equal(input, output);
    }

    [Fact]
    public void TryReadExtensionFormatHeader_CompleteExt_HeaderThenBody()
    {
        byte[] bytes = EncodeValue(new ExtensionValue(-5, [9, 8, 7]));
        var reader = new MessagePackReader(bytes);

        Assert.Equal(MessagePackType.Extension, reader.NextMessagePackType);
        Assert.True(reader.TryReadExtensionFormatHeader(out ExtensionHeader header));
        Assert.Equal(new ExtensionHeader(-5, 3), header);
        Assert.Equal(new byte[] { 9, 8, 7 }, reader.ReadRaw(header.Length).ToArray());
        Assert.True(reader.End);
    }

    [Fact]
    public void TrySkip_EveryStrictPrefixSplitIntoTwoByteSegments_ReturnsFalse()
    {
        foreach (byte[] encoding in MessagePackReaderTests.SampleEncodings().Take(80))
        {
            for (int length = 0; length < encoding.Length; length++)
            {
                var reader = new MessagePackReader(Segmented(encoding[..length], 2));
                Assert.False(reader.TrySkip());
                Assert.Equal(0, reader.Consumed);
            }
        }
    }
}
