using Offload.Contracts.Ids;

namespace Offload.Controller.Prediction;

/// <summary>One per-minute rollup of an application's demand.</summary>
/// <param name="Application">The application.</param>
/// <param name="MinuteUnix">Start of the minute, Unix seconds / 60.</param>
/// <param name="PeakCostRate">Highest per-period cost rate seen in the minute, cost units/s.</param>
/// <param name="MeanCostRate">Mean per-period cost rate while active.</param>
/// <param name="ReadFraction">Mean reads / (reads + writes).</param>
/// <param name="SampleCount">Periods folded into the rollup.</param>
public readonly record struct HistorySample(AppId Application, long MinuteUnix, double PeakCostRate, double MeanCostRate, double ReadFraction, int SampleCount);
