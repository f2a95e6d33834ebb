using System.Buffers;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Tests.MessagePack;

public delegate void WriteAction(ref MessagePackWriter writer);

public delegate T ReadFunc<T>(ref MessagePackReader reader);

/// <summary>Encode/decode shortcuts and segmented sequences for codec tests.</summary>
internal static class MessagePackTestCodec
{
    public static byte[] Encode(WriteAction write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] EncodeValue(object? value) =>
        Encode((ref MessagePackWriter w) => MessagePackValueWriter.Write(ref w, value));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    public static byte[] FromHex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static object? DecodeValue(ReadOnlySequence<byte> bytes, MessagePackReaderOptions? options = null)
    {
        var reader = new MessagePackReader(bytes, options ?? MessagePackReaderOptions.Default);
        object? value = MessagePackValueReader.Read(ref reader);
        Assert.True(reader.End, $"{reader.Remaining} bytes left after the value");
        return value;
    }

    public static object? DecodeValue(byte[] bytes, MessagePackReaderOptions? options = null) =>
        DecodeValue(new ReadOnlySequence<byte>(bytes), options);

    /// <summary>Splits <paramref name="data"/> into segments of <paramref name="segmentSize"/> bytes (last may be shorter).</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] data, int segmentSize)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new TestSegment(data.AsMemory(0, Math.Min(segmentSize, data.Length)), 0);
        TestSegment last = first;
        for (int start = segmentSize; start < data.Length; start += segmentSize)
        {
            last = last.Append(data.AsMemory(start, Math.Min(segmentSize, data.Length - start)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class TestSegment : ReadOnlySequenceSegment<byte>
    {
        public TestSegment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public TestSegment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new TestSegment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
