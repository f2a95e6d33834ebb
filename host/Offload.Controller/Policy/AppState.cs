using Offload.Contracts.Messages;
using Offload.Controller.Explain;
using Offload.Controller.Sla;

namespace Offload.Controller.Policy;

/// <summary>What the policy remembers about one application between periods.</summary>
internal sealed class AppState(AppSla sla)
{
    public AppSla Sla { get; set; } = sla;

    public bool HasRate { get; set; }

    public double Rate { get; set; }

    public double Demand { get; set; }

    public double Measured { get; set; }

    public double CostPerRequest { get; set; } = 1.0;

    public double BytesPerRequest { get; set; } = 4096;

    public double ReadFraction { get; set; } = 1.0;

    public OccupancyLevel SqLevel { get; set; }

    public OccupancyLevel CqLevel { get; set; }

    public DecisionRule Rule { get; set; } = DecisionRule.Admitted;

    public DecisionRule LastRecordedRule { get; set; } = (DecisionRule)(-1);

    public bool Congested { get; set; }

    public double PredictedDemand { get; set; }

    public DateTimeOffset PredictedUntil { get; set; } = DateTimeOffset.MinValue;

    // Current per-minute history rollup.
    public long RollupMinute { get; set; } = long.MinValue;

    public double RollupPeak { get; set; }

    public double RollupSum { get; set; }

    public double RollupReadSum { get; set; }

    public int RollupCount { get; set; }
}
