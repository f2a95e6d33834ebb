namespace Offload.Controller.Prediction;

/// <summary>Retention of the history store.</summary>
/// <param name="MinuteRollups">How long per-minute rollups are kept before being merged into hourly ones.</param>
/// <param name="HourRollups">How long hourly rollups are kept before being deleted.</param>
/// <param name="PeakAlpha">EWMA weight of the most recent rollup when predicting.</param>
/// <param name="MaxRollups">How many most recent rollups a prediction reads.</param>
public sealed record HistoryRetention(TimeSpan MinuteRollups, TimeSpan HourRollups, double PeakAlpha = 0.5, int MaxRollups = 64)
{
    /// <summary>7 days of minutes, 90 days of hours.</summary>
    public static HistoryRetention Default { get; } = new(TimeSpan.FromDays(7), TimeSpan.FromDays(90));
}
