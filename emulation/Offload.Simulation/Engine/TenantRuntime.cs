using Offload.Simulation.Model;

namespace Offload.Simulation.Engine;

/// <summary>Mutable per-tenant state of a run.</summary>
internal sealed class TenantRuntime(TenantSpec spec, int periods)
{
    public TenantSpec Spec { get; } = spec;

    public Queue<SimRequest> Sq { get; } = new();

    public Queue<long> HostBacklog { get; } = new();

    public int Outstanding { get; set; }

    public bool Active { get; set; }

    public bool Connected { get; set; }

    /// <summary>The policy has been told of the connection (at the first control period after it).</summary>
    public bool KnownToPolicy { get; set; }

    // Period counters (reset every tick).
    public long PeriodReads { get; set; }

    public long PeriodWrites { get; set; }

    public double PeriodDeviceCost { get; set; }

    public double SqIntegral { get; set; }

    public long SqChangedNanos { get; set; }

    // Whole-run accounting.
    public List<long> LatencyTimes { get; } = [];

    public List<long> Latencies { get; } = [];

    public double[] SeriesIops { get; } = new double[periods];

    public double[] SeriesCost { get; } = new double[periods];

    public double[] SeriesRate { get; } = new double[periods];

    public void TouchSq(long now)
    {
        SqIntegral += Sq.Count * (double)(now - SqChangedNanos);
        SqChangedNanos = now;
    }
}
