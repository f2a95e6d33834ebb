using Offload.Controller.Cost;

namespace Offload.Controller.Policy;

/// <summary>Tuning of the VS controller policy. Defaults suit a 10 ms control period.</summary>
public sealed record ControllerOptions
{
    /// <summary>Control period; rates are re-evaluated once per period.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Capacity assumed before the first measurement, cost units/s.</summary>
    public double InitialCapacity { get; init; } = 100_000;

    /// <summary>Cost model used to turn reads and writes into cost units.</summary>
    public CostModel Cost { get; init; } = new();

    /// <summary>EWMA weight of a new capacity sample.</summary>
    public double CapacityAlpha { get; init; } = 0.3;

    /// <summary>Completed cost units a capacity sample spans at least: consecutive memory-bound periods with fewer are
    /// pooled into one sample (their units over their time). 0 = every period is a sample.</summary>
    public double CapacitySampleUnits { get; init; } = 250;

    /// <summary>Relative upward probe of the capacity estimate per period while backlogged applications are held at
    /// their own rates and the memory delivered the whole estimate.</summary>
    public double CapacityProbeStep { get; init; } = 0.02;

    /// <summary>A backlogged application completing below (1 - this) or above (1 + this) times its granted rate shows
    /// the memory is the bottleneck (it could not deliver the rate, or the NIC lent idle capacity until it ran full):
    /// only then is completed throughput a capacity sample.</summary>
    public double MemoryBoundSlack { get; init; } = 0.1;

    /// <summary>Demand of a non-backlogged latency-sensitive application = measured rate x this headroom (room for
    /// Poisson bursts, so its own bucket rarely delays it).</summary>
    public double LatencyHeadroom { get; init; } = 2.0;

    /// <summary>Depth of a latency-sensitive application's rate buckets on the NIC (others: nic-fw's default 10 ms).</summary>
    public TimeSpan LatencyBurst { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Fraction of the way from the old rate to the target rate taken each period (damping); evaluations
    /// between periods (threshold reports) take the same fraction scaled to the time since the previous one.</summary>
    public double Damping { get; init; } = 0.5;

    /// <summary>Relative change below which a rate is left alone, so that rates do not jitter.</summary>
    public double Deadband { get; init; } = 0.02;

    /// <summary>Demand of a non-backlogged application = measured rate x this headroom.</summary>
    public double DemandHeadroom { get; init; } = 1.25;

    /// <summary>Smallest demand assumed for a connected application, as a fraction of capacity.</summary>
    public double MinDemandFraction { get; init; } = 0.01;

    /// <summary>Factor applied to the measured rate of an application whose SQ and CQ are both high.</summary>
    public double ConsumingFactor { get; init; } = 0.9;

    /// <summary>Time-averaged SQ depth at or above which an application counts as backlogged.</summary>
    public double BackloggedSqAverage { get; init; } = 1.0;

    /// <summary>SQ depth averaged over the last report window at or above which an application counts as backlogged
    /// too. The time-averaged depth (1 s time constant) takes a second to show a tenant that has just started to wait:
    /// a tenant admitted at a low rate holds one command in its SQ from its first period (nic-fw counts the command its
    /// token bucket holds back), so its window average is just under 1 at once while its time-averaged depth is 0.01
    /// after one period. Real-time scenario 4, interleaved runs: the joining tenant within 10% of its share after
    /// 300 / 200 / 200 ms with the rule, 800 / 400 / 600 ms without.</summary>
    public double BackloggedSqWindowAverage { get; init; } = 0.9;

    /// <summary>Node SQ depth / capacity at or above which overall occupancy is "high".</summary>
    public double NodeHighOccupancy { get; init; } = 0.75;

    /// <summary>Whether history-based prediction (FIG. 4) is used.</summary>
    public bool PredictionEnabled { get; init; } = true;

    /// <summary>A returning application is "heavy" when its predicted peak is at least this fraction of capacity.</summary>
    public double HeavyFraction { get; init; } = 0.2;

    /// <summary>How long a prediction holds the room open if the load has not shown up yet.</summary>
    public TimeSpan PredictionHold { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Most I/O queues granted to one application.</summary>
    public ushort MaxIoQueues { get; init; } = 16;

    /// <summary>Commands dequeued per scheduler visit; sets dequeue frequency = IOPS / batch.</summary>
    public int DequeueBatch { get; init; } = 8;

    /// <summary>Extra network bandwidth over the payload rate for headers and retransmits.</summary>
    public double MeterOverhead { get; init; } = 0.1;

    /// <summary>Decisions kept per application for explain.</summary>
    public int DecisionsPerApp { get; init; } = 128;
}
