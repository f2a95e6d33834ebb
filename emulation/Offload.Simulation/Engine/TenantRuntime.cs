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

    // Token bucket (share) and ceiling (hard limit), cost units.
    public double Rate { get; set; }

    public double Tokens { get; set; }

    public double Burst { get; set; }

    public double Ceiling { get; set; } = double.PositiveInfinity;

    public double CeilingTokens { get; set; } = double.PositiveInfinity;

    public double CeilingBurst { get; set; } = double.PositiveInfinity;

    public long RefillNanos { get; set; }

    public double Served { get; set; }

    public double DequeueWeight { get; set; } = 1;

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
