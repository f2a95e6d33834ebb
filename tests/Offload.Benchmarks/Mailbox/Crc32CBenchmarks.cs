using System.Buffers.Binary;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using Offload.Contracts.Mailbox;

namespace Offload.Benchmarks.Mailbox;

/// <summary>
/// CRC-32C over a 1 MiB frame (a packed batch of 7,168 connection records) and a 128 KiB NVMe/TCP data digest:
/// the three-lane <see cref="Crc32C"/> against the single dependent chain of CRC32C instructions it replaced (the
/// same-run baseline, kept here as that loop).
/// </summary>
[MemoryDiagnoser]
public class Crc32CBenchmarks
{
    private byte[] _data = [];

    [Params(128 * 1024, 1024 * 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Bytes];
        new Random(5).NextBytes(_data);
    }

    [Benchmark(Baseline = true)]
    public uint SingleChain()
    {
        uint crc = 0xFFFFFFFFu;
        ReadOnlySpan<byte> data = _data;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    [Benchmark]
    public uint ThreeLanes() => Crc32C.Compute(_data);
}
