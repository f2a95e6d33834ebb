using Offload.Simulation.Engine;
using Offload.Simulation.Model;

namespace Offload.Simulation.Tests.Engine;

public class DiscreteEventSimulatorTests
{
    private static readonly DeviceModel Device = new();

    private static List<TenantSpec> Two() =>
    [
        new("a", new(1), ArrivalKind.ClosedLoop, 8),
        new("b", new(2), ArrivalKind.Poisson, 4, Rate: 5_000, ReadFraction: 0.5),
    ];

    private static Results.SimResult Run(SchedulerKind kind, IReadOnlyList<TenantSpec> tenants, int seed = 1, double seconds = 0.6)
    {
        using var sim = new DiscreteEventSimulator(new SimulationConfig(kind, Device, tenants, seconds) { Seed = seed, WarmupSeconds = 0.1 });
        return sim.Run();
    }

    [Theory]
    [InlineData(0)] // FIFO
    [InlineData(3)] // Offload
    public void Run_SameSeed_IdenticalResults(int scheduler)
    {
        var kind = (SchedulerKind)scheduler;
        var x = Run(kind, Two());
        var y = Run(kind, Two());
        Assert.Equal(x.Tenants[0].Latencies, y.Tenants[0].Latencies);
        Assert.Equal(x.Tenants[1].SeriesCost, y.Tenants[1].SeriesCost);
        Assert.Equal(x.Utilization, y.Utilization);
    }

    [Fact]
    public void Run_DifferentSeed_DifferentSamples()
    {
        Assert.NotEqual(Run(SchedulerKind.Fifo, Two(), 1).Tenants[1].Latencies, Run(SchedulerKind.Fifo, Two(), 2).Tenants[1].Latencies);
    }

    [Fact]
    public void Run_BackloggedReads_ThroughputMatchesCapacityModel()
    {
        var r = Run(SchedulerKind.Fifo, [new("a", new(1), ArrivalKind.ClosedLoop, 32)], seconds: 1.0);
        Assert.InRange(r.MeanIops(0), 0.95 * Device.ReadIops, 1.05 * Device.ReadIops);
        Assert.True(r.Utilization > 0.99);
    }

    [Fact]
    public void Run_BackloggedWrites_CostThreeTimesAsMuch()
    {
        var r = Run(SchedulerKind.Fifo, [new("w", new(1), ArrivalKind.ClosedLoop, 32, ReadFraction: 0)], seconds: 1.0);
        Assert.InRange(r.MeanIops(0), 0.95 * Device.ReadIops / Device.WriteCost, 1.05 * Device.ReadIops / Device.WriteCost);
    }

    [Fact]
    public void Run_PoissonLightLoad_ThroughputEqualsOfferedRate()
    {
        var r = Run(SchedulerKind.Offload, [new("p", new(1), ArrivalKind.Poisson, 4, Rate: 4_000)], seconds: 1.5);
        Assert.InRange(r.MeanIops(0), 3_700, 4_300);
    }

    [Fact]
    public void Run_StaticLimits_EachTenantCappedAtEqualSplit()
    {
        var r = Run(SchedulerKind.StaticLimits, [new("a", new(1), ArrivalKind.ClosedLoop, 32), new("b", new(2), ArrivalKind.Poisson, 1, Rate: 100)], seconds: 1.0);
        Assert.InRange(r.MeanIops(0), 0.95 * Device.ReadIops / 2, 1.02 * Device.ReadIops / 2); // not work-conserving
    }

    [Fact]
    public void Run_Offload_PolicyExplainsItsDecisions()
    {
        using var sim = new DiscreteEventSimulator(new SimulationConfig(SchedulerKind.Offload, Device, Two(), 0.3));
        sim.Run();
        Assert.NotNull(sim.Policy);
        Assert.NotEmpty(sim.Policy!.ExplainText(new(1), 5));
    }
}
