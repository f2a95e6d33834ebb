using Offload.Contracts.Ids;
using Offload.Controller.Explain;
using Offload.Controller.Policy;
using Offload.Controller.Prediction;
using Offload.Testing.Time;
using static Offload.Controller.Tests.Policy.PolicyFixture;

namespace Offload.Controller.Tests.Policy;

public sealed class VsControllerPolicyPredictionTests : IDisposable
{
    private static readonly AppId Heavy = new(1), Other = new(2);
    private readonly SimulatedTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SqliteHistoryStore _store = new("Data Source=:memory:");

    public void Dispose() => _store.Dispose();

    private VsControllerPolicy Create(bool prediction)
        => new(new ControllerOptions { InitialCapacity = 40_000, PredictionEnabled = prediction }, _time, _store);

    private void RunHeavyThenLeave(VsControllerPolicy p)
    {
        p.Connect(Heavy);
        p.Connect(Other);
        for (int i = 0; i < 50; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            p.Evaluate(Snap(Backlogged(1, 30_000), Light(2, 8_000)));
        }

        p.Disconnect(Heavy);
        for (int i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            p.Evaluate(Snap(Backlogged(2, 40_000)));
        }
    }

    [Fact]
    public void Disconnect_FlushesRollupToHistory()
    {
        var p = Create(prediction: true);
        RunHeavyThenLeave(p);
        Assert.True(_store.TryGetProfile(Heavy, out var profile));
        Assert.InRange(profile.PredictedPeak, 29_000, 31_000);
        Assert.Equal(1.0, profile.ReadFraction, 3);
    }

    [Fact]
    public void Connect_HeavyHistory_OthersPreAdjustedBeforeLoadArrives()
    {
        var p = Create(prediction: true);
        RunHeavyThenLeave(p);
        p.TryGetRate(Other, out double before);
        var o = p.Connect(Heavy); // no I/O yet
        double heavy = o.Rates.Single(r => r.Application == Heavy).Rate;
        double other = o.Rates.Single(r => r.Application == Other).Rate;
        Assert.True(heavy >= 15_000, $"heavy got {heavy}");
        Assert.True(other < 0.7 * before, $"other {before} -> {other}");
        Assert.Equal(DecisionRule.Predicted, p.Explain(Heavy, 1)[0].Rule);
        Assert.Contains("history predicts", p.ExplainText(Heavy, 1)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_PredictionOff_NewcomerStartsSmall()
    {
        var p = Create(prediction: false);
        RunHeavyThenLeave(p);
        var o = p.Connect(Heavy);
        Assert.True(o.Rates.Single(r => r.Application == Heavy).Rate < 5_000);
    }

    [Fact]
    public void CompactHistory_UsesPolicyClock()
    {
        var p = Create(prediction: true);
        RunHeavyThenLeave(p);
        _time.Advance(TimeSpan.FromDays(200));
        p.CompactHistory();
        Assert.False(_store.TryGetProfile(Heavy, out _));
    }
}
