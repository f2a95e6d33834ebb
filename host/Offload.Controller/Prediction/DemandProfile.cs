namespace Offload.Controller.Prediction;

/// <summary>What history says an application will demand when it comes back.</summary>
/// <param name="PredictedPeak">EWMA of past per-minute peaks, cost units/s.</param>
/// <param name="ReadFraction">EWMA of its read fraction.</param>
/// <param name="RollupCount">Rollups the prediction is based on.</param>
public readonly record struct DemandProfile(double PredictedPeak, double ReadFraction, int RollupCount);
