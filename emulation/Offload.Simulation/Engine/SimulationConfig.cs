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

    /// <summary>Offload: commands the NIC keeps in flight at the shared memory beyond its channels (the dequeue
    /// scheduler hands out a command whenever one of these slots is free).</summary>
    public int DispatchExtraSlots { get; init; } = 2;

    /// <summary>Offload: of the memory's dispatch slots, how many only latency-class commands may take while a
    /// latency-class tenant is connected (nic-fw's DequeueScheduler.Drain throughput budget). Throughput-class
    /// commands then keep at most (channels + extra - reserve) at the memory, so a latency-class command never waits
    /// behind them in the memory's own queue.</summary>
    public int LatencyReserveSlots { get; init; } = 2;

    /// <summary>Offload: nic-fw's TokenBucketRateLimiter work-conserving mode (TargetConfig.WorkConserving): an
    /// application over its rate may take a memory slot that is idle with nothing in-rate waiting, up to its ceiling
    /// (SLA limit). On by default; off shows the controller with strict, non-lending buckets.</summary>
    public bool NicWorkConserving { get; init; } = true;

    /// <summary>Path of a SQLite file for history (null = in-memory).</summary>
    public string? HistoryPath { get; init; }
}
