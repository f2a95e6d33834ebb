using Offload.Contracts.Ids;
using Offload.Controller.Cost;
using Offload.Controller.Policy;
using Offload.Controller.Sla;
using Offload.Testing.Time;
using static Offload.Controller.Tests.Policy.PolicyFixture;

namespace Offload.Controller.Tests.Policy;

/// <summary>What the policy hands nic-fw for enforcement (ceilings, bucket depth, dequeue priority) and how its
/// capacity estimate behaves when tenants are held by their own buckets.</summary>
public class VsControllerPolicyEnforcementTests
{
    private static readonly AppId A = new(1), B = new(2), C = new(3), D = new(4);
    private readonly SimulatedTimeProvider _time = new();

    private VsControllerPolicy Create(double capacity = 40_000)
        => new(new ControllerOptions { InitialCapacity = capacity, Cost = new CostModel(1, 3) }, _time);

    private ControlOutput Step(VsControllerPolicy p, Offload.Controller.Telemetry.TelemetrySnapshot s)
    {
        _time.Advance(TimeSpan.FromMilliseconds(10));
        return p.Evaluate(s);
    }

    private static double Rate(ControlOutput o, AppId app) => o.Rates.Single(r => r.Application == app).Rate;

    [Fact]
    public void Evaluate_AggressorHeldAtItsRateVictimsLight_CapacityNotPulledDown()
    {
        // The aggressor's SQ is high only because of its own bucket: it completes exactly its rate. Victims use less
        // than they are given. Completions then measure our rates, not the memory: the estimate must hold.
        var p = Create();
        ControlOutput o = Step(p, Snap(Backlogged(1, 30_000), Light(2, 2_000), Light(3, 2_000), Light(4, 2_000)));
        for (int i = 0; i < 100; i++)
        {
            o = Step(p, Snap(Backlogged(1, Rate(o, A)), Light(2, 2_000), Light(3, 2_000), Light(4, 2_000)));
        }

        Assert.True(p.CapacityEstimate >= 40_000, $"estimate {p.CapacityEstimate}");
        Assert.True(Rate(o, A) >= 30_000, $"aggressor rate {Rate(o, A)}");
    }

    [Fact]
    public void Evaluate_BackloggedAppCompletesWellAboveItsRate_EstimateFollowsCompletions()
    {
        // The NIC lent it idle capacity until the memory ran full: completions are a capacity sample.
        var p = Create(20_000);
        ControlOutput o = Step(p, Snap(Backlogged(1, 20_000)));
        for (int i = 0; i < 40; i++)
        {
            o = Step(p, Snap(Backlogged(1, 50_000)));
        }

        Assert.InRange(p.CapacityEstimate, 49_000, 51_100); // at most the probe tolerance (2%) above
        Assert.InRange(Rate(o, A), 45_000, 51_000);
    }

    [Fact]
    public void Evaluate_AppWithLimit_EntryCarriesCeilingAndRateJustBelowIt()
    {
        var p = Create();
        p.SetSla(new AppSla(A, Limit: 4_000));
        ControlOutput o = null!;
        for (int i = 0; i < 20; i++)
        {
            o = Step(p, Snap(Backlogged(1, 4_000), Backlogged(2, 36_000)));
        }

        var a = o.Rates.Single(r => r.Application == A).ToRateEntry();
        var b = o.Rates.Single(r => r.Application == B).ToRateEntry();
        Assert.Equal(4_000ul, a.CeilingIops);
        Assert.InRange(a.IopsLimit, 3_900ul, 3_920ul);
        Assert.Equal(0ul, b.CeilingIops);
    }

    [Fact]
    public void Evaluate_LatencySensitiveApp_LongBucketAndDoubleHeadroom()
    {
        var p = Create();
        p.SetSla(new AppSla(A, Class: AppClass.LatencySensitive));
        ControlOutput o = null!;
        for (int i = 0; i < 30; i++)
        {
            o = Step(p, Snap(Light(1, 2_000), Light(2, 2_000), Backlogged(3, 30_000)));
        }

        Assert.Equal(50_000u, o.Rates.Single(r => r.Application == A).ToRateEntry().BurstMicros);
        Assert.Equal(0u, o.Rates.Single(r => r.Application == B).ToRateEntry().BurstMicros);
        Assert.InRange(Rate(o, A), 3_800, 4_200);
        Assert.InRange(Rate(o, B), 2_400, 2_600);
    }

    [Fact]
    public void Evaluate_PriorityHints_LatencyZeroRateBoundedOneBackloggedThree()
    {
        var p = Create();
        p.SetSla(new AppSla(A, Class: AppClass.LatencySensitive));
        p.SetSla(new AppSla(D, Limit: 2_000));
        ControlOutput o = null!;
        for (int i = 0; i < 10; i++)
        {
            o = Step(p, Snap(Light(1, 2_000), Light(2, 2_000), Backlogged(3, 30_000), Backlogged(4, 2_000)));
        }

        byte Hint(AppId app) => o.Allocations.Single(x => x.Application == app).PriorityHint;
        Assert.Equal(0, Hint(A));
        Assert.Equal(1, Hint(B));
        Assert.Equal(3, Hint(C));
        Assert.Equal(1, Hint(D)); // backlogged but held at its ceiling: its inflow is bounded
    }
}
