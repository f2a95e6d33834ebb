namespace Offload.Simulation.Results;

/// <summary>Measurements of one tenant in one run.</summary>
internal sealed class TenantResult
{
    public required string Name { get; init; }

    /// <summary>Completion times (ns) of measured requests, ascending, parallel to <see cref="Latencies"/>.</summary>
    public required IReadOnlyList<long> CompletionTimes { get; init; }

    /// <summary>Latencies (ns) from issue on the host to completion on the host.</summary>
    public required IReadOnlyList<long> Latencies { get; init; }

    /// <summary>Per-period completed IOPS.</summary>
    public required double[] SeriesIops { get; init; }

    /// <summary>Per-period completed device cost units/s.</summary>
    public required double[] SeriesCost { get; init; }

    /// <summary>Per-period policy rate (cost units/s); NaN when not Offload or not connected.</summary>
    public required double[] SeriesRate { get; init; }
}
