using BenchmarkDotNet.Attributes;
using Offload.Nic.Datapath;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Port;
using Dp = Offload.Nic.Datapath.SwitchDatapath;

namespace Offload.Benchmarks.Datapath;

/// <summary>
/// Whole datapath per packet (receive copy, extract, EMC or classifier, stats, output copy) on 64-byte frames in
/// bursts of 32. Mpps = 1000 / (ns per op).
/// </summary>
[MemoryDiagnoser]
public class DatapathForwardingBenchmarks
{
    private const int Burst = 32;
    private Dp _emcDatapath = null!;
    private Dp _megaflowDatapath = null!;

    [GlobalSetup]
    public void Setup()
    {
        // EMC hits: 256 flows (fits the 8192-entry EMC), megaflow per destination port, EMC always inserts.
        var frames = new byte[256][];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = ReplayPort.Udp64(0x020000000001, 0x020000000002, 0x0A000001, 0x0A000002, (ushort)(1000 + i), 80);
        }

        _emcDatapath = Build(frames, new DatapathOptions { EmcInsertInverseProbability = 1 }, out var mask, out var match);
        _emcDatapath.InstallFlow(match, mask, 1, [FlowAction.Output(new PortNo(2))], TimeSpan.Zero, TimeSpan.Zero);
        Warm(_emcDatapath);

        // Megaflow hits with 20 subtables: EMC disabled; 1,000 rules spread over 20 masks, traffic hits them all.
        var random = new Random(42);
        var rules = ClassifierShape.Rules(random, 1000, 20);
        var mfFrames = new byte[1024][];
        for (var i = 0; i < mfFrames.Length; i++)
        {
            var rule = rules[random.Next(rules.Length)];
            mfFrames[i] = ReplayPort.Udp64(0x020000000001, 0x020000000002, rule.Match.Ipv4Src, rule.Match.Ipv4Dst, rule.Match.TpSrc, rule.Match.TpDst);
        }

        _megaflowDatapath = Build(mfFrames, new DatapathOptions { EmcInsertInverseProbability = 0 }, out _, out _);
        foreach (var rule in rules)
        {
            _megaflowDatapath.InstallFlow(rule.Match, rule.Mask, 1, [FlowAction.Output(new PortNo(2))], TimeSpan.Zero, TimeSpan.Zero);
        }

        Warm(_megaflowDatapath);
        if (_megaflowDatapath.SubtableCount != 20 || _megaflowDatapath.Stats.FlowMisses != 0)
        {
            throw new InvalidOperationException($"bad shape: {_megaflowDatapath.SubtableCount} subtables, {_megaflowDatapath.Stats.FlowMisses} misses");
        }
    }

    private static Dp Build(byte[][] frames, DatapathOptions options, out FlowKey mask, out FlowKey match)
    {
        var datapath = new Dp(options, new NullUpcallSink(), TimeProvider.System);
        datapath.AddPort(new PortNo(1), new ReplayPort(frames));
        datapath.AddPort(new PortNo(2), new ReplayPort([]));
        mask = default;
        mask.InPort = 0xFFFF;
        mask.EtherType = 0xFFFF;
        mask.TpDst = 0xFFFF;
        FlowExtractor.Extract(frames[0], 1, 0, out match, out _);
        return datapath;
    }

    private static void Warm(Dp datapath)
    {
        for (var i = 0; i < 2000; i++)
        {
            datapath.Poll();
        }
    }

    [Benchmark(OperationsPerInvoke = Burst)]
    public int EmcHit() => _emcDatapath.Poll();

    [Benchmark(OperationsPerInvoke = Burst)]
    public int MegaflowHit20Subtables() => _megaflowDatapath.Poll();
}
