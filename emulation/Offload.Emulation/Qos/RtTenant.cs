namespace Offload.Emulation.Qos;

/// <summary>One tenant of a real-time scenario: its workload (one load-generator instance) and its SLA.</summary>
public sealed record RtTenant(string Name, int QueueDepth)
{
    /// <summary>I/O size in bytes.</summary>
    public int IoSize { get; init; } = 4096;

    /// <summary>Share of reads in percent.</summary>
    public int ReadPercent { get; init; } = 100;

    /// <summary>Paced arrival in IOPS (at most <see cref="QueueDepth"/> outstanding); 0 = closed loop (backlogged).</summary>
    public double PacedIops { get; init; }

    /// <summary>SLA weight.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>SLA reservation in cost units/s (a 4 KiB read = 1).</summary>
    public double Reservation { get; init; }

    /// <summary>SLA limit in cost units/s; null = none.</summary>
    public double? Limit { get; init; }

    /// <summary>Latency-sensitive class (else throughput).</summary>
    public bool LatencySensitive { get; init; }

    /// <summary>Active periods [start, end) in seconds from the start of the measurement; empty = the whole run. A
    /// period starting after 0 connects at its start (a join); a period ending early disconnects (a leave).</summary>
    public IReadOnlyList<(double Start, double End)> OnPeriods { get; init; } = [];

    /// <summary>True when the tenant is connected before the measurement starts.</summary>
    public bool StartsAtZero => OnPeriods.Count == 0 || OnPeriods[0].Start <= 0;
}
