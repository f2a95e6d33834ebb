using System.Globalization;
using Offload.Contracts.Ids;
using Offload.Contracts.Messages;

namespace Offload.Controller.Explain;

/// <summary>
/// One recorded decision: the inputs the policy saw, the rule that fired, and the old and new rate.
/// Rates are cost units/s (one 4 KiB read = 1). <see cref="Demand"/> is null when the application is
/// backlogged (its demand is unbounded), so that the record serialises to plain JSON.
/// </summary>
public sealed record Decision(
    DateTimeOffset At,
    AppId Application,
    DecisionRule Rule,
    double OldRate,
    double NewRate,
    double MeasuredRate,
    double? Demand,
    double CapacityEstimate,
    OccupancyLevel SqLevel,
    OccupancyLevel CqLevel,
    double Weight)
{
    /// <summary>The decision in plain words, as `offloadctl explain` prints it.</summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        string why = Rule switch
        {
            DecisionRule.Admitted => "it connected and was admitted at its weighted share",
            DecisionRule.TrackDemand => string.Create(c, $"it used {MeasuredRate:F0} units/s and was not backlogged, so its rate follows its demand plus headroom"),
            DecisionRule.StarvedRaise => string.Create(c, $"its SQ was {SqLevel} and its CQ {CqLevel}: it is starved, so it was raised towards its fair share"),
            DecisionRule.ConsumingLower => string.Create(c, $"its SQ was {SqLevel} and its CQ {CqLevel}: its completions pile up, so it was lowered"),
            DecisionRule.CongestionLower => string.Create(c, $"overall occupancy was high and capacity is now estimated at {CapacityEstimate:F0} units/s, so contributors were lowered"),
            DecisionRule.Predicted => string.Create(c, $"its history predicts {Demand:F0} units/s, so room was made before its load arrives"),
            DecisionRule.Rebalanced => "another application joined, left or was predicted, so shares were re-divided",
            DecisionRule.AtLimit => "it is held at its SLA limit",
            DecisionRule.AtReservation => "it is held at its SLA reservation",
            DecisionRule.Released => "it disconnected and its rate was released",
            _ => Rule.ToString(),
        };
        return string.Create(c, $"{At:HH:mm:ss.fff} {Application}: rate {OldRate:F0} -> {NewRate:F0} units/s because {why} (weight {Weight:G3}, demand {(Demand is { } d ? d.ToString("F0", c) : "unbounded")}, capacity {CapacityEstimate:F0}).");
    }
}
