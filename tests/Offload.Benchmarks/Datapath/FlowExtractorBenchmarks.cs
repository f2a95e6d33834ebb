using BenchmarkDotNet.Attributes;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Benchmarks.Datapath;

/// <summary>Flow extraction of 64-byte Ethernet/IPv4/UDP frames: the general parser (baseline, same run) against
/// <see cref="FlowExtractor.Extract"/>, which takes the IPv4 UDP/TCP fast path for this shape; 256 distinct frames.</summary>
[MemoryDiagnoser]
public class FlowExtractorBenchmarks
{
    private const int Frames = 256;
    private readonly byte[][] _frames = new byte[Frames][];

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < Frames; i++)
        {
            _frames[i] = ReplayPort.Udp64(0x020000000001, 0x020000000002, 0x0A000001, 0x0A000002, (ushort)(1000 + i), 80);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames)]
    public ulong General()
    {
        ulong h = 0;
        for (var i = 0; i < _frames.Length; i++)
        {
            FlowExtractor.ExtractGeneral(_frames[i], 1, 4420, out var key, out _);
            h ^= key.W7;
        }

        return h;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public ulong FastPath()
    {
        ulong h = 0;
        for (var i = 0; i < _frames.Length; i++)
        {
            FlowExtractor.Extract(_frames[i], 1, 4420, out var key, out _);
            h ^= key.W7;
        }

        return h;
    }
}
