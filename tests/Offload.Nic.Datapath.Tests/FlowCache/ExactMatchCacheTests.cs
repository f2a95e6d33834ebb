using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowCache;
using Key = Offload.Nic.Datapath.FlowKeys.FlowKey;

namespace Offload.Nic.Datapath.Tests.FlowCache;

public class ExactMatchCacheTests
{
    private static Megaflow Flow() => new(new FlowId(1), default, default, 0, [FlowAction.Drop()], 0, 0, 0);

    [Fact]
    public void Lookup_AfterInsertWithProbabilityOne_Hits()
    {
        var emc = new ExactMatchCache(8192, 1);
        var key = default(Key);
        key.TpSrc = 5;
        var flow = Flow();

        emc.MaybeInsert(key, key.Hash(), flow);

        Assert.Same(flow, emc.Lookup(key, key.Hash()));
        key.TpSrc = 6;
        Assert.Null(emc.Lookup(key, key.Hash()));
    }

    [Fact]
    public void Lookup_RemovedFlow_Misses()
    {
        var emc = new ExactMatchCache(8192, 1);
        var key = default(Key);
        var flow = Flow();
        emc.MaybeInsert(key, key.Hash(), flow);

        flow.IsAlive = false;

        Assert.Null(emc.Lookup(key, key.Hash()));
    }

    [Fact]
    public void MaybeInsert_DefaultProbability_InsertsAboutOneInHundred()
    {
        var emc = new ExactMatchCache(8192, 100);
        var flow = Flow();
        var cached = 0;
        for (var i = 0; i < 4000; i++)
        {
            var key = default(Key);
            key.Ipv4Src = (uint)i;
            emc.MaybeInsert(key, key.Hash(), flow);
            if (emc.Lookup(key, key.Hash()) is not null)
            {
                cached++;
            }
        }

        Assert.InRange(cached, 10, 100);
    }
}
