using Offload.Contracts.MessagePack;
using static Offload.Contracts.Tests.MessagePack.MessagePackTestCodec;

namespace Offload.Contracts.Tests.MessagePack;

/// <summary>Hostile input: lying lengths, depth bombs, bad UTF-8, oversized frames, offsets.</summary>
public sealed partial class MessagePackReaderTests
{
    private static readonly MessagePackReaderOptions NoCaps = new()
    {
        MaxCollectionLength = int.MaxValue,
        MaxStringSize = int.MaxValue,
    };

    public static TheoryData<string> MaxLengthHeaders => new() { "dbffffffff", "c6ffffffff", "c9ffffffff01", "ddffffffff", "dfffffffff" };

    [Theory]
    [MemberData(nameof(MaxLengthHeaders))]
    public void Read_DeclaredLength2Pow32Minus1With10BodyBytes_RejectedBeforeAllocation(string header)
    {
        byte[] bytes = [.. FromHex(header), .. new byte[10]];
        // Warm up: the first throw of a type builds metadata that is not our allocation.
        DecodeExpectingFailure(bytes, NoCaps);
        DecodeExpectingFailure(bytes, MessagePackReaderOptions.Default);

        long before = GC.GetAllocatedBytesForCurrentThread();
        MessagePackSerializationException ex = DecodeExpectingFailure(bytes, NoCaps);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The exception object, its message and stack trace are all that may be allocated (well under the
        // 4 GiB the header declares, and under 4 KiB in practice).
        Assert.True(allocated < 4096, $"allocated {allocated} bytes before rejecting");
        Assert.Contains("4294967295 exceeds 10 remaining bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, ex.Offset);
        Assert.Throws<MessagePackSerializationException>(() =>
        {
            var reader = new MessagePackReader(bytes);
            reader.Skip();
        });
    }

    [Fact]
    public void ReadString_Str32LengthOverMaxStringSize_RejectedWithLimitName()
    {
        byte[] bytes = [.. FromHex("db00000100"), .. new byte[256]];
        var options = new MessagePackReaderOptions { MaxStringSize = 255 };
        var ex = Assert.Throws<MessagePackSerializationException>(() =>
        {
            var reader = new MessagePackReader(new System.Buffers.ReadOnlySequence<byte>(bytes), options);
            reader.ReadString();
        });
        Assert.Contains("MaxStringSize 255", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadArrayHeader_CountOverMaxCollectionLength_ThrowsEvenThoughTry()
    {
        byte[] bytes = [.. FromHex("dc0011"), .. new byte[17]];
        var options = new MessagePackReaderOptions { MaxCollectionLength = 16 };
        var ex = Assert.Throws<MessagePackSerializationException>(() =>
        {
            var reader = new MessagePackReader(new System.Buffers.ReadOnlySequence<byte>(bytes), options);
            reader.TryReadArrayHeader(out _);
        });
        Assert.Contains("MaxCollectionLength 16", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMapHeader_CountNeedingMoreThanRemaining_Rejected()
    {
        // map16 of 3 pairs needs at least 6 bytes; only 5 follow.
        var ex = Assert.Throws<MessagePackSerializationException>(() =>
        {
            var reader = new MessagePackReader(FromHex("de00030102030405"));
            reader.ReadMapHeader();
        });
        Assert.Contains("map length 3 exceeds 5 remaining bytes", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Read_NestedArrays_DefaultMaxDepth64(int depth, bool accepted)
    {
        byte[] bytes = [.. Enumerable.Repeat((byte)0x91, depth - 1), 0x90];
        if (accepted)
        {
            Assert.NotNull(DecodeValue(bytes));
            var skipper = new MessagePackReader(bytes);
            skipper.Skip();
            Assert.Equal(0, skipper.Depth);
            return;
        }

        MessagePackSerializationException ex = DecodeExpectingFailure(bytes, MessagePackReaderOptions.Default);
        Assert.Contains("nesting depth 65 exceeds MaxDepth 64", ex.Message, StringComparison.Ordinal);
        Assert.Equal(65, ex.Offset);
        var skip = Assert.Throws<MessagePackSerializationException>(() =>
        {
            var reader = new MessagePackReader(bytes);
            reader.Skip();
        });
        Assert.Contains("depth 65", skip.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MapNestingBeyondCustomMaxDepth_RejectedWithDepth()
    {
        byte[] bytes = FromHex("81a16181a16281a163c0"); // {"a":{"b":{"c":nil}}}
        var options = new MessagePackReaderOptions { MaxDepth = 2 };
        MessagePackSerializationException ex = DecodeExpectingFailure(bytes, options);
        Assert.Contains("nesting depth 3 exceeds MaxDepth 2", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MillionDeepArrayBomb_RejectedWithoutStackOverflow()
    {
        byte[] bytes = [.. Enumerable.Repeat((byte)0x91, 1_000_000), 0xc0];
        var options = new MessagePackReaderOptions { MaxDepth = int.MaxValue, MaxFrameSize = int.MaxValue };
        MessagePackSerializationException ex = DecodeExpectingFailure(bytes, options);
        Assert.Contains("stack", ex.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a2c328")]          // bad continuation
    [InlineData("a2c080")]          // overlong NUL
    [InlineData("a3eda080")]        // UTF-16 surrogate
    [InlineData("a4f4908080")]      // above U+10FFFF
    [InlineData("a1ff")]
    [InlineData("a2e282")]          // truncated sequence inside the str
    public void ReadString_InvalidUtf8_RejectedByEveryStrPath(string hex)
    {
        byte[] bytes = FromHex(hex);
        foreach (int segment in new[] { bytes.Length, 1 })
        {
            System.Buffers.ReadOnlySequence<byte> input = Segmented(bytes, segment);
            var read = Assert.Throws<MessagePackSerializationException>(() =>
            {
                var r = new MessagePackReader(input);
                r.ReadString();
            });
            Assert.Contains("invalid UTF-8", read.Reason, StringComparison.Ordinal);
            Assert.Throws<MessagePackSerializationException>(() =>
            {
                var r = new MessagePackReader(input);
                r.ReadStringSequence();
            });
            Assert.Throws<MessagePackSerializationException>(() => DecodeValue(input));
        }

        Assert.Throws<MessagePackSerializationException>(() =>
        {
            var r = new MessagePackReader(bytes);
            r.TryReadStringSpan(out _);
        });
    }

    [Fact]
    public void Constructor_InputLargerThanMaxFrameSize_Rejected()
    {
        var options = new MessagePackReaderOptions { MaxFrameSize = 16 };
        byte[] ok = new byte[16];
        byte[] tooBig = new byte[17];

        _ = new MessagePackReader(new System.Buffers.ReadOnlySequence<byte>(ok), options);
        var ex = Assert.Throws<MessagePackSerializationException>(
            () => new MessagePackReader(new System.Buffers.ReadOnlySequence<byte>(tooBig), options));
        Assert.Contains("input length 17 exceeds MaxFrameSize 16", ex.Reason, StringComparison.Ordinal);
        Assert.Throws<MessagePackSerializationException>(() => new MessagePackReader(new byte[(1 << 20) + 1]));
    }

    [Theory]
    [InlineData("9301 02a2ffff", 3, "invalid UTF-8")]                    // [1, 2, <bad str>]
    [InlineData("9201cd01", 2, "truncated")]                             // [1, <uint16 missing a byte>]
    [InlineData("9201c1", 2, "invalid format code 0xc1")]               // [1, <never used>]
    [InlineData("82a161 01a162 dbffffffff00", 6, "str length 4294967295 exceeds 1 remaining bytes")]
    [InlineData("c0c0 dd00000005 01", 2, "array length 5 exceeds 1 remaining bytes")]
    public void Read_HandMadeBadInput_ReportsOffsetOfOffendingValue(string hex, long offset, string reason)
    {
        byte[] bytes = FromHex(hex);
        foreach (System.Buffers.ReadOnlySequence<byte> input in new[] { new System.Buffers.ReadOnlySequence<byte>(bytes), Segmented(bytes, 1) })
        {
            var ex = Assert.Throws<MessagePackSerializationException>(() =>
            {
                var r = new MessagePackReader(input);
                while (!r.End)
                {
                    MessagePackValueReader.Read(ref r);
                }
            });
            Assert.Equal(offset, ex.Offset);
            Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
            Assert.StartsWith($"at byte {offset}: ", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReadString_WrongType_ThrowsWithTypeAndCode()
    {
        var ex = Assert.Throws<MessagePackSerializationException>(() =>
        {
            var r = new MessagePackReader(FromHex("c0 2a"));
            r.ReadNil();
            r.ReadString();
        });
        Assert.Equal(1, ex.Offset);
        Assert.Equal("expected str but found Integer (code 0x2a)", ex.Reason);
    }

    [Fact]
    public void DepthStep_BeyondMaxDepth_ThrowsNamingDepth()
    {
        var options = new MessagePackReaderOptions { MaxDepth = 1 };
        var ex = Assert.Throws<MessagePackSerializationException>(() =>
        {
            var r = new MessagePackReader(new System.Buffers.ReadOnlySequence<byte>(new byte[1]), options);
            r.DepthStep();
            r.DepthStep();
        });
        Assert.Equal("nesting depth 2 exceeds MaxDepth 1", ex.Reason);
    }

    private static MessagePackSerializationException DecodeExpectingFailure(byte[] bytes, MessagePackReaderOptions options)
    {
        try
        {
            var reader = new MessagePackReader(new System.Buffers.ReadOnlySequence<byte>(bytes), options);
            MessagePackValueReader.Read(ref reader);
        }
        catch (MessagePackSerializationException ex)
        {
            return ex;
        }

        Assert.Fail("decoding succeeded but should have been rejected");
        return null!;
    }
}
