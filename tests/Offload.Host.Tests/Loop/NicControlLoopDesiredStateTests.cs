using Microsoft.Extensions.Logging.Abstractions;
using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Controller.Sla;
using Offload.Host.Loop;
using Offload.Testing.Time;

namespace Offload.Host.Tests.Loop;

/// <summary>Pinned rates, tenant SLAs and policy parameters from the desired state, in the control loop.</summary>
public sealed class NicControlLoopDesiredStateTests
{
    private static readonly AppId App = new(1);
    private static readonly AppId Other = new(9);

    [Fact]
    public void Evaluate_PinnedApplication_UpdateCarriesExactlyThePinAndPinsOfUnreportedAppsAreAdded()
    {
        var loop = NewLoop();
        loop.SetPins([new RateEntry { Application = App, IopsLimit = 321, BytesPerSecondLimit = 4096, AdvertisedRate = 321 }, new RateEntry { Application = Other, IopsLimit = 7 }]);

        var update = loop.Evaluate(Occupancy());

        Assert.NotNull(update);
        var pinned = Assert.Single(update.Entries, e => e.Application == App);
        Assert.Equal((321ul, 4096ul), (pinned.IopsLimit, pinned.BytesPerSecondLimit));
        Assert.Equal(7ul, Assert.Single(update.Entries, e => e.Application == Other).IopsLimit);
    }

    [Fact]
    public void SetPins_Cleared_NextUpdateIsTheControllersRateAgain()
    {
        var loop = NewLoop();
        loop.SetPins([new RateEntry { Application = App, IopsLimit = 3 }]);
        Assert.Equal(3ul, loop.Evaluate(Occupancy())!.Entries[0].IopsLimit);

        loop.SetPins([]);
        var update = loop.Evaluate(Occupancy());

        Assert.NotNull(update); // sent although periodic: the pins changed
        Assert.NotEqual(3ul, Assert.Single(update.Entries).IopsLimit);
    }

    [Fact]
    public void SetSlas_Limit_BecomesTheCeilingAndRemovingTheTenantLiftsIt()
    {
        var loop = NewLoop();
        loop.SetSlas([new AppSla(App, Limit: 50)]);
        loop.Evaluate(Occupancy());

        Assert.Equal(50, loop.LastOutput!.Rates[0].Ceiling);
        Assert.True(loop.LastOutput.Rates[0].Rate <= 50, loop.LastOutput.Rates[0].ToString());

        loop.SetSlas([]);
        loop.Evaluate(Occupancy());

        Assert.Equal(double.PositiveInfinity, loop.LastOutput!.Rates[0].Ceiling);
    }

    [Fact]
    public void SetPolicy_EnforceOff_NoUpdatesUntilBackOn()
    {
        var loop = NewLoop();
        loop.SetPolicy(enforce: false, requireFlowMetadata: false);
        Assert.Null(loop.Evaluate(Occupancy()));
        Assert.False(loop.Enforce);

        loop.SetPolicy(enforce: true, requireFlowMetadata: false);
        Assert.NotNull(loop.Evaluate(Occupancy()));
    }

    private static NicControlLoop NewLoop() =>
        new("tcp://127.0.0.1:7420", new ControlLoopOptions { RequireFlowMetadata = false }, new SimulatedTimeProvider(), NullLogger.Instance);

    private static QueueOccupancy Occupancy()
    {
        var m = new QueueOccupancy { Trigger = OccupancyTrigger.Periodic };
        m.Entries.Add(new QueueOccupancyEntry { Application = App, Queue = new QueueId(1), SqSize = 128, SqDepth = 120, SqLevel = OccupancyLevel.High, CqSize = 128 });
        return m;
    }
}
