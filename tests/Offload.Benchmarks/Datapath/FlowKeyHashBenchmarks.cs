using BenchmarkDotNet.Attributes;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Benchmarks.Datapath;

/// <summary>The exact-match cache's key hash: hardware CRC-32C (<see cref="FlowKey.Hash"/>) against the portable
/// multiply-rotate mix it replaced on x86-64 (same run), over 256 distinct 64-byte keys.</summary>
[MemoryDiagnoser]
public class FlowKeyHashBenchmarks
{
    private const int Keys = 256;
    private readonly FlowKey[] _keys = new FlowKey[Keys];

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Keys; i++)
        {
            FlowExtractor.Extract(ReplayPort.Udp64(0x020000000001, 0x020000000002, 0x0A000001, 0x0A000002, (ushort)(1000 + i), 80), 1, 0, out _keys[i], out _);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Keys)]
    public uint MixHash()
    {
        uint h = 0;
        for (var i = 0; i < _keys.Length; i++)
        {
            h ^= _keys[i].MixHash();
        }

        return h;
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public uint Crc32CHash()
    {
        uint h = 0;
        for (var i = 0; i < _keys.Length; i++)
        {
            h ^= _keys[i].Hash();
        }

        return h;
    }
}
