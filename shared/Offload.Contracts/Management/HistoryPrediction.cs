namespace Offload.Contracts.Management;

/// <summary>The prediction from a tenant's history (EWMA of its per-rollup peaks).</summary>
/// <param name="PredictedPeakRate">Expected demand at its return, cost units/s.</param>
/// <param name="ReadFraction">Expected reads / (reads + writes).</param>
/// <param name="RollupCount">Rollups the prediction is based on.</param>
public sealed record HistoryPrediction(double PredictedPeakRate, double ReadFraction, int RollupCount);
