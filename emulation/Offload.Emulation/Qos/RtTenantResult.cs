namespace Offload.Emulation.Qos;

/// <summary>What one tenant did in one real-time run: means over the measured interval and 100 ms series.</summary>
public sealed record RtTenantResult(string Name, double MeanIops, double P50Micros, double P99Micros, long Errors)
{
    /// <summary>IOPS per 100 ms window from the start of the measurement.</summary>
    public required IReadOnlyList<double> IopsSeries { get; init; }

    /// <summary>p99 in µs per 100 ms window (NaN where nothing completed).</summary>
    public required IReadOnlyList<double> P99Series { get; init; }

    /// <summary>The recorder, for percentiles over other intervals.</summary>
    public required WindowRecorder Recorder { get; init; }
}
