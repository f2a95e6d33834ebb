namespace Offload.Controller.Prediction;

/// <summary>One stored rollup of an application's demand, as <c>offloadctl history</c> shows it.</summary>
/// <param name="Start">Start of the minute or hour.</param>
/// <param name="IsHourly">True for an hourly rollup (compacted minutes), false for a per-minute one.</param>
/// <param name="PeakCostRate">Highest per-period cost rate, cost units/s.</param>
/// <param name="MeanCostRate">Mean per-period cost rate while active.</param>
/// <param name="ReadFraction">Mean reads / (reads + writes).</param>
/// <param name="SampleCount">Control periods folded into the rollup.</param>
public readonly record struct HistoryRollup(DateTimeOffset Start, bool IsHourly, double PeakCostRate, double MeanCostRate, double ReadFraction, long SampleCount);
