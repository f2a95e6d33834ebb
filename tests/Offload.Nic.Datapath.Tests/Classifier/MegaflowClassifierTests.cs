using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Key = Offload.Nic.Datapath.FlowKeys.FlowKey;

namespace Offload.Nic.Datapath.Tests.Classifier;

public class MegaflowClassifierTests
{
    private static long _ids;

    private static Megaflow Flow(Key match, Key mask, int priority) =>
        new(new FlowId((ulong)Interlocked.Increment(ref _ids)), match, mask, priority, [FlowAction.Drop()], 0, 0, 0);

    private static Key DstMask()
    {
        var mask = default(Key);
        mask.EthDst = ulong.MaxValue;
        return mask;
    }

    [Fact]
    public void Lookup_WildcardedFlow_ReturnsFlowAndItsMask()
    {
        var classifier = new MegaflowClassifier();
        var match = default(Key);
        match.EthDst = 0xB;
        var flow = Flow(match, DstMask(), 1);
        classifier.Insert(flow);
        var key = default(Key);
        key.EthDst = 0xB;
        key.TpSrc = 999;
        key.InPort = 4;

        var found = classifier.Lookup(key);

        Assert.Same(flow, found);
        Assert.Equal(DstMask(), found!.Mask);
    }

    [Fact]
    public void Lookup_OverlappingFlows_HighestPriorityWins()
    {
        var classifier = new MegaflowClassifier();
        var match = default(Key);
        match.EthDst = 0xB;
        match.TpDst = 80;
        var narrowMask = DstMask();
        narrowMask.TpDst = 0xFFFF;
        var broad = Flow(match, DstMask(), 10);
        var narrow = Flow(match, narrowMask, 20);
        classifier.Insert(broad);
        classifier.Insert(narrow);
        var key = match;

        Assert.Same(narrow, classifier.Lookup(key));
        key.TpDst = 81;
        Assert.Same(broad, classifier.Lookup(key));
        classifier.Remove(narrow);
        key.TpDst = 80;
        Assert.Same(broad, classifier.Lookup(key));
    }

    [Fact]
    public void Lookup_RandomRulesOverTwentyMasks_AgreesWithLinearScan()
    {
        var random = new Random(7);
        var masks = Enumerable.Range(0, 20).Select(i => RandomMask(random, i)).ToArray();
        var classifier = new MegaflowClassifier();
        var flows = new List<Megaflow>();
        for (var i = 0; i < 1000; i++)
        {
            var flow = Flow(RandomKey(random), masks[random.Next(masks.Length)], random.Next(4));
            if (classifier.Find(flow.Match, flow.Mask) is null)
            {
                classifier.Insert(flow);
                flows.Add(flow);
            }
        }

        Assert.Equal(20, classifier.SubtableCount);
        for (var i = 0; i < 20_000; i++)
        {
            var key = i % 3 == 0 ? flows[random.Next(flows.Count)].Match : RandomKey(random);
            var expected = flows.Where(f => key.MatchesMasked(f.Match, f.Mask)).Select(f => f.Priority).DefaultIfEmpty(-1).Max();
            var actual = classifier.Lookup(key);

            Assert.Equal(expected, actual?.Priority ?? -1);
            if (actual is not null)
            {
                Assert.True(key.MatchesMasked(actual.Match, actual.Mask));
            }

            if (i % 5000 == 0)
            {
                classifier.Rank();
            }
        }

        foreach (var flow in flows)
        {
            Assert.True(classifier.Remove(flow));
        }

        Assert.Equal(0, classifier.SubtableCount);
    }

    internal static Key RandomKey(Random random)
    {
        var key = default(Key);
        key.InPort = (ushort)random.Next(4);
        key.EthSrc = (ulong)random.Next(8);
        key.EthDst = (ulong)random.Next(8);
        key.EtherType = 0x0800;
        key.IpProto = random.Next(2) == 0 ? (byte)6 : (byte)17;
        key.Ipv4Src = (uint)random.Next(16);
        key.Ipv4Dst = (uint)random.Next(16);
        key.TpSrc = (ushort)random.Next(8);
        key.TpDst = (ushort)random.Next(8);
        return key;
    }

    internal static Key RandomMask(Random random, int seed)
    {
        var mask = default(Key);
        mask.EtherType = 0xFFFF;
        if ((seed & 1) != 0) { mask.InPort = 0xFFFF; }
        if ((seed & 2) != 0) { mask.EthDst = ulong.MaxValue; }
        if ((seed & 4) != 0) { mask.IpProto = 0xFF; }
        if ((seed & 8) != 0) { mask.Ipv4Dst = uint.MaxValue; }
        if ((seed & 16) != 0) { mask.TpDst = 0xFFFF; }
        if (seed >= 16) { mask.Ipv4Src = (uint)(0xFFFFFFFF << random.Next(1, 4)); }
        return mask;
    }
}
