using Offload.Contracts.Ids;

namespace Offload.Controller.Sla;

/// <summary>
/// Per-application service-level agreement. Rates are in cost units per second (see <see cref="Cost.CostModel"/>):
/// one cost unit is one 4 KiB read.
/// </summary>
/// <param name="Application">The application (host NQN) this SLA applies to.</param>
/// <param name="Weight">Share weight for weighted max-min fairness; must be positive.</param>
/// <param name="Reservation">Guaranteed minimum rate in cost units/s (0 = none).</param>
/// <param name="Limit">Hard maximum rate in cost units/s (<see cref="double.PositiveInfinity"/> = none).</param>
/// <param name="Class">Latency-sensitive or throughput.</param>
public sealed record AppSla(AppId Application, double Weight = 1.0, double Reservation = 0, double Limit = double.PositiveInfinity, AppClass Class = AppClass.Throughput)
{
    /// <summary>Default SLA for an application nobody configured: weight 1, no reservation, no limit.</summary>
    public static AppSla Default(AppId application) => new(application);

    /// <summary>True when the SLA is usable: positive finite weight, 0 &lt;= reservation &lt;= limit.</summary>
    public bool IsValid => Weight > 0 && double.IsFinite(Weight) && Reservation >= 0 && double.IsFinite(Reservation) && Limit >= Reservation;
}
