using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Controller.Explain;
using Offload.Controller.Prediction;
using Offload.Host.History;
using Offload.Host.Loop;
using Offload.Testing.Processes;
using Offload.Testing.Time;

namespace Offload.Host.Tests.Loop;

/// <summary>The control loop with a real SQLite history file: a tenant with a heavy history that reconnects gets
/// room before its load arrives (the others are pre-adjusted in the same evaluation); without history it does not.</summary>
public sealed class NicControlLoopHistoryTests : IDisposable
{
    private const string HeavyTenant = "nqn.2026-01.io.offload:heavy";
    private const string OtherTenant = "nqn.2026-01.io.offload:other";
    private static readonly AppId Heavy = new(1), Other = new(2);
    private readonly TempDirectory _dir = new();
    private readonly SimulatedTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Evaluate_HeavyTenantReconnectsWithHistory_OthersLoweredBeforeItsLoad()
    {
        double withHistory = OtherRateAfterHeavyReturns(history: true, out var loop);
        double without = OtherRateAfterHeavyReturns(history: false, out _);

        Assert.True(withHistory < 0.7 * without, $"with history {withHistory}, without {without}");
        Assert.Contains(loop.Explain(Heavy, 10), d => d.Rule == DecisionRule.Predicted);
    }

    [Fact]
    public void Disconnect_TenantLeaves_RollupStoredUnderItsNameAndReadableAfterReopen()
    {
        using (var history = OpenHistory())
        {
            var loop = NewLoop(history);
            for (int i = 0; i < 20; i++)
            {
                Step(loop, (Heavy, HeavyTenant, 5_000));
            }

            Step(loop); // its queues are gone: disconnected, rollup written
        }

        using var reopened = OpenHistory();
        Assert.True(reopened.TryGetTenant(HeavyTenant, out var id));
        var rollup = Assert.Single(reopened.ReadRollups(id, 10));
        Assert.InRange(rollup.PeakCostRate, 4_000, 6_000);
        Assert.Equal(20, rollup.SampleCount);
    }

    private double OtherRateAfterHeavyReturns(bool history, out NicControlLoop loop)
    {
        using var store = history ? OpenHistory() : null;
        if (store is not null)
        {
            long minute = _time.GetUtcNow().ToUnixTimeSeconds() / 60;
            store.Append(new HistorySample(store.GetOrAddTenant(HeavyTenant), minute - 30, 8_000, 7_000, 1.0, 600));
        }

        loop = NewLoop(store);
        RateUpdate? last = null;
        for (int i = 0; i < 30; i++)
        {
            last = Step(loop, (Other, OtherTenant, 20_000)) ?? last;
        }

        var update = Step(loop, (Other, OtherTenant, 20_000), (Heavy, HeavyTenant, 10));
        Assert.NotNull(update);
        return update.Entries.Single(e => e.Application == Other).IopsLimit;
    }

    private TenantHistory OpenHistory() =>
        new(Options.Create(new HistoryOptions { Path = _dir.File("history.db") }), _time);

    private NicControlLoop NewLoop(TenantHistory? history) =>
        new("test", new ControlLoopOptions { InitialCapacity = 10_000 }, _time, NullLogger.Instance, history);

    private RateUpdate? Step(NicControlLoop loop, params (AppId App, string Name, float ReadRate)[] apps)
    {
        _time.Advance(TimeSpan.FromMilliseconds(10));
        var flows = new FlowMetadataBatch { PeriodNanos = 10_000_000 };
        var occupancy = new QueueOccupancy { Trigger = OccupancyTrigger.Periodic };
        foreach (var (app, name, rate) in apps)
        {
            flows.Flows.Add(new FlowRecord { FlowId = app.Value, Application = app, ReadRate = rate, ReadRateWindow = rate, ReadWriteRatio = 1 });
            flows.Applications.Add(new ApplicationName { Application = app, HostNqn = name });
            occupancy.Entries.Add(new QueueOccupancyEntry
            {
                Application = app, Queue = new QueueId(1), SqSize = 128, SqDepth = rate > 1_000 ? 100U : 0U,
                SqLevel = rate > 1_000 ? OccupancyLevel.High : OccupancyLevel.Low, CqSize = 128,
            });
        }

        loop.OnFlowMetadata(flows);
        return loop.Evaluate(occupancy);
    }
}
