using Offload.Contracts.Messages;

namespace Offload.Controller.Policy;

/// <summary>Decisions of one evaluation: rates and resource allocations, ready to send.</summary>
public sealed class ControlOutput
{
    /// <summary>Epoch of the evaluation (monotonic).</summary>
    public ulong Epoch { get; init; }

    /// <summary>Current capacity estimate, cost units/s.</summary>
    public double CapacityEstimate { get; init; }

    /// <summary>Rates of every known application.</summary>
    public List<AppRate> Rates { get; } = [];

    /// <summary>Resource allocations (FIG. 3) of every known application.</summary>
    public List<AllocationEntry> Allocations { get; } = [];

    /// <summary>The full rate table as a RateUpdate for nic-fw.</summary>
    public RateUpdate ToRateUpdate()
    {
        var update = new RateUpdate { Epoch = Epoch, IsFull = true };
        foreach (var r in Rates)
        {
            update.Entries.Add(r.ToRateEntry());
        }

        return update;
    }

    /// <summary>The allocations as an AllocationUpdate for nic-fw.</summary>
    public AllocationUpdate ToAllocationUpdate()
    {
        var update = new AllocationUpdate { Epoch = Epoch };
        update.Entries.AddRange(Allocations);
        return update;
    }
}
