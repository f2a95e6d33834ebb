using Offload.Contracts.Ids;
using Offload.Controller.Explain;
using Offload.Controller.Prediction;

namespace Offload.Controller.Policy;

public sealed partial class VsControllerPolicy
{
    /// <summary>
    /// An application connected (NVMe-oF Connect), before its I/O arrives. With prediction on and a heavy
    /// history, its predicted demand is reserved now and the others are pre-adjusted in the returned output.
    /// </summary>
    public ControlOutput Connect(AppId application)
    {
        var now = _time.GetUtcNow();
        var state = Admit(application);
        state.Demand = _options.MinDemandFraction * _capacity.Estimate;
        state.Rule = DecisionRule.Admitted;
        DecisionRule? cause = null;
        if (_options.PredictionEnabled && _history is not null && _history.TryGetProfile(application, out var profile)
            && profile.PredictedPeak >= _options.HeavyFraction * _capacity.Estimate)
        {
            state.PredictedDemand = profile.PredictedPeak;
            state.PredictedUntil = now + _options.PredictionHold;
            state.ReadFraction = profile.ReadFraction;
            state.Demand = profile.PredictedPeak;
            state.Rule = DecisionRule.Predicted;
            cause = DecisionRule.Rebalanced;
            state.HasRate = false; // take the predicted share at once rather than damped
        }

        return Reallocate(now, cause);
    }

    /// <summary>An application disconnected: its history is flushed and its rate released to the others.</summary>
    public ControlOutput Disconnect(AppId application)
    {
        var now = _time.GetUtcNow();
        if (_byApp.TryGetValue(application, out var state))
        {
            Flush(state);
            _log.Record(new Decision(now, application, DecisionRule.Released, state.Rate, 0, state.Measured, 0, _capacity.Estimate, state.SqLevel, state.CqLevel, state.Sla.Weight));
            _byApp.Remove(application);
            _apps.Remove(state);
            _pendingSlas[application] = state.Sla;
        }

        return Reallocate(now, DecisionRule.Rebalanced);
    }

    /// <summary>Writes every open per-minute rollup to the history store (call at shutdown).</summary>
    public void FlushHistory()
    {
        foreach (var state in _apps)
        {
            Flush(state);
        }
    }

    /// <summary>Applies the history store's retention and compaction.</summary>
    public int CompactHistory() => _history?.Compact(_time.GetUtcNow()) ?? 0;

    private static void ApplyPrediction(AppState state, DateTimeOffset now)
    {
        if (now >= state.PredictedUntil)
        {
            return;
        }

        if (state.Measured >= 0.8 * state.PredictedDemand)
        {
            state.PredictedUntil = DateTimeOffset.MinValue; // the load has arrived; measurements take over
            return;
        }

        if (state.PredictedDemand > state.Demand)
        {
            state.Demand = state.PredictedDemand;
            state.Rule = DecisionRule.Predicted;
        }
    }

    private void Accumulate(AppState state, DateTimeOffset now, double measured)
    {
        if (_history is null || measured <= 0)
        {
            return;
        }

        long minute = now.ToUnixTimeSeconds() / 60;
        if (minute != state.RollupMinute)
        {
            Flush(state);
            state.RollupMinute = minute;
        }

        state.RollupPeak = Math.Max(state.RollupPeak, measured);
        state.RollupSum += measured;
        state.RollupReadSum += state.ReadFraction;
        state.RollupCount++;
    }

    private void Flush(AppState state)
    {
        if (_history is null || state.RollupCount == 0)
        {
            return;
        }

        _history.Append(new HistorySample(state.Sla.Application, state.RollupMinute, state.RollupPeak,
            state.RollupSum / state.RollupCount, state.RollupReadSum / state.RollupCount, state.RollupCount));
        state.RollupPeak = 0;
        state.RollupSum = 0;
        state.RollupReadSum = 0;
        state.RollupCount = 0;
    }
}
