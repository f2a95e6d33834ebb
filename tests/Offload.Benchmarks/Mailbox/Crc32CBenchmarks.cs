using BenchmarkDotNet.Attributes;
using Offload.Contracts.Mailbox;

namespace Offload.Benchmarks.Mailbox;

/// <summary>
/// CRC-32C over a 1 MiB frame (a packed batch of 7,168 connection records) and a 128 KiB NVMe/TCP data digest:
/// the three-lane <see cref="Crc32C"/> against the single dependent chain of CRC32C instructions it replaced (the
/// same-run baseline).
/// </summary>
[MemoryDiagnoser]
public class Crc32CBenchmarks
{
    private byte[] _data = [];

    /// <summary>16,896 bytes: one block of 128 packed flow records, as the sampler CRCs it during the sweep; 128 KiB: an
    /// NVMe/TCP data digest; 1 MiB: a whole period's records.</summary>
    [Params(128 * 132, 128 * 1024, 1024 * 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Bytes];
        new Random(5).NextBytes(_data);
    }

    /// <summary>The single chain: the same code fed pieces shorter than one three-lane stride (12 KiB), so every
    /// byte goes through the one dependent chain of CRC32C instructions the previous version used.</summary>
    [Benchmark(Baseline = true)]
    public uint SingleChain()
    {
        const int Piece = (3 * 4096) - 8;
        uint crc = 0xFFFFFFFFu;
        for (int offset = 0; offset < _data.Length; offset += Piece)
        {
            crc = Crc32C.Append(crc, _data.AsSpan(offset, Math.Min(Piece, _data.Length - offset)));
        }

        return ~crc;
    }

    [Benchmark]
    public uint ThreeLanes() => Crc32C.Compute(_data);
}
