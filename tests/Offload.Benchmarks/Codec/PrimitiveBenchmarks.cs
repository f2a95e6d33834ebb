using System.Buffers;
using BenchmarkDotNet.Attributes;
using Offload.Contracts.MessagePack;

namespace Offload.Benchmarks.Codec;

/// <summary>
/// MessagePack primitives: 1,000 mixed values (small and large ints, negative ints, short strings, uint64) per
/// operation; figures are per value. Writing into a reused <see cref="ArrayBufferWriter{T}"/> must allocate 0 B.
/// Run: dotnet run -c Release --project tests/Offload.Benchmarks -- --filter '*PrimitiveBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class PrimitiveBenchmarks
{
    private const int Count = 1000;
    private static readonly string[] Names = ["eth0", "vf-12", "tenant-a", "nvme1n1", "flow", "", "ovs-br0", "p0"];
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private byte[] _mixed = [];
    private byte[] _fixInts = [];

    [GlobalSetup]
    public void Setup()
    {
        WriteMixed();
        _mixed = _buffer.WrittenSpan.ToArray();
        WriteFixInts();
        _fixInts = _buffer.WrittenSpan.ToArray();
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void WriteMixed()
    {
        _buffer.ResetWrittenCount();
        var writer = new MessagePackWriter(_buffer);
        for (int i = 0; i < Count; i++)
        {
            switch (i & 3)
            {
                case 0:
                    writer.Write(i);
                    break;
                case 1:
                    writer.Write(-i * 1000L);
                    break;
                case 2:
                    writer.Write(Names[i & 7]);
                    break;
                default:
                    writer.Write((ulong)i << 33);
                    break;
            }
        }

        writer.Flush();
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public long ReadMixed()
    {
        var reader = new MessagePackReader(_mixed);
        long sum = 0;
        for (int i = 0; i < Count; i++)
        {
            switch (i & 3)
            {
                case 0:
                    sum += reader.ReadInt32();
                    break;
                case 1:
                    sum += reader.ReadInt64();
                    break;
                case 2:
                    reader.TryReadStringSpan(out ReadOnlySpan<byte> utf8);
                    sum += utf8.Length;
                    break;
                default:
                    sum += (long)reader.ReadUInt64();
                    break;
            }
        }

        return sum;
    }

    /// <summary>As <see cref="ReadMixed"/> but materialising every string (allocates the strings).</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public long ReadMixedAllocatingStrings()
    {
        var reader = new MessagePackReader(_mixed);
        long sum = 0;
        for (int i = 0; i < Count; i++)
        {
            sum += (i & 3) switch
            {
                0 => reader.ReadInt32(),
                1 => reader.ReadInt64(),
                2 => reader.ReadString()!.Length,
                _ => (long)reader.ReadUInt64(),
            };
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public void WriteFixInts()
    {
        _buffer.ResetWrittenCount();
        var writer = new MessagePackWriter(_buffer);
        for (int i = 0; i < Count; i++)
        {
            writer.Write(i & 0x7f);
        }

        writer.Flush();
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int ReadFixInts()
    {
        var reader = new MessagePackReader(_fixInts);
        int sum = 0;
        for (int i = 0; i < Count; i++)
        {
            sum += reader.ReadInt32();
        }

        return sum;
    }

    /// <summary>Skips the mixed values one by one (the path used for unknown keys).</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public long SkipMixed()
    {
        var reader = new MessagePackReader(_mixed);
        for (int i = 0; i < Count; i++)
        {
            reader.Skip();
        }

        return reader.Consumed;
    }
}
