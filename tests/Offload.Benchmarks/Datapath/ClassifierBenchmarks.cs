using BenchmarkDotNet.Attributes;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Benchmarks.Datapath;

/// <summary>
/// Classifier micro-benchmark in the shape of OVS v3.1.0 <c>test-classifier benchmark</c>: 1,000 rules, 20
/// subtables (masks), random lookups, about 11% hits. Each lookup returns the megaflow and hence its mask
/// (wildcards). Two variants: all rules at one priority (datapath megaflows: first match wins) and rules at
/// 8 distinct priorities (must keep searching higher-priority subtables).
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private const int Lookups = 1024;
    private readonly FlowKey[] _keys = new FlowKey[Lookups];
    private MegaflowClassifier _samePriority = null!;
    private MegaflowClassifier _mixedPriority = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var rules = ClassifierShape.Rules(random, 1000, 20);
        _samePriority = new MegaflowClassifier();
        _mixedPriority = new MegaflowClassifier();
        ulong id = 0;
        foreach (var (match, mask) in rules)
        {
            _samePriority.Insert(new Megaflow(new FlowId(++id), match, mask, 1, [FlowAction.Drop()], 0, 0, 0));
            _mixedPriority.Insert(new Megaflow(new FlowId(++id), match, mask, random.Next(8), [FlowAction.Drop()], 0, 0, 0));
        }

        var hits = 0;
        for (var i = 0; i < Lookups; i++)
        {
            FlowKey key;
            if (random.NextDouble() < 0.11)
            {
                key = rules[random.Next(rules.Length)].Match;
                key.Ipv4Dst |= (uint)random.Next(16); // a wildcarded bit pattern still hits in most masks
            }
            else
            {
                key = default;
                key.InPort = 1;
                key.EtherType = 0x0800;
                key.IpProto = 17;
                key.Ipv4Src = 0x0A000000u | (uint)random.Next(1 << 16);
                key.Ipv4Dst = (uint)random.Next();
                key.TpSrc = (ushort)random.Next(1024, 65535);
                key.TpDst = (ushort)random.Next(1, 1024);
            }

            _keys[i] = key;
            if (_samePriority.Lookup(key) is not null)
            {
                hits++;
            }
        }

        HitFraction = hits / (double)Lookups;
        Console.WriteLine($"// classifier: {_samePriority.SubtableCount} subtables, {_samePriority.Count} rules, hit fraction {HitFraction:P1}");
    }

    public double HitFraction { get; private set; }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int LookupSamePriority()
    {
        var found = 0;
        var keys = _keys;
        for (var i = 0; i < keys.Length; i++)
        {
            if (_samePriority.Lookup(keys[i]) is { } flow && flow.Mask.InPort != 0)
            {
                found++;
            }
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int LookupEightPriorities()
    {
        var found = 0;
        var keys = _keys;
        for (var i = 0; i < keys.Length; i++)
        {
            if (_mixedPriority.Lookup(keys[i]) is { } flow && flow.Mask.InPort != 0)
            {
                found++;
            }
        }

        return found;
    }
}
