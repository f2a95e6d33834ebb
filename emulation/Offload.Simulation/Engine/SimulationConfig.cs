using Offload.Controller.Cost;
using Offload.Simulation.Model;

namespace Offload.Simulation.Engine;

/// <summary>Everything one run needs. Same config + seed = same result.</summary>
internal sealed record SimulationConfig(SchedulerKind Kind, DeviceModel Device, IReadOnlyList<TenantSpec> Tenants, double DurationSeconds)
{
    public int Seed { get; init; } = 1;

    public double WarmupSeconds { get; init; } = 0.3;

    public double PeriodSeconds { get; init; } = 0.01;

    /// <summary>Cost model the controller (and Offload's scheduler) uses; null = the device's true write cost.</summary>
    public CostModel? PolicyCost { get; init; }

    public bool PredictionEnabled { get; init; } = true;

    /// <summary>Controller's capacity guess before it has measured, as a fraction of the true read IOPS.</summary>
    public double InitialCapacityFraction { get; init; } = 0.8;

    /// <summary>Extra device slots a latency-sensitive tenant within its rate may use beyond the channels.</summary>
    public int LatencyExtraSlots { get; init; } = 2;

    /// <summary>Depth of the hard-ceiling (SLA limit) bucket, in seconds of the limit.</summary>
    public double BurstSeconds { get; init; } = 0.002;

    /// <summary>Depth of the share bucket, in seconds of the rate (one control period absorbs Poisson bursts).</summary>
    public double ShareBurstSeconds { get; init; } = 0.01;

    /// <summary>Path of a SQLite file for history (null = in-memory).</summary>
    public string? HistoryPath { get; init; }
}
