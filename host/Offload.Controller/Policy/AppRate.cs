using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Controller.Explain;

namespace Offload.Controller.Policy;

/// <summary>The policy's rate for one application.</summary>
/// <param name="Application">The application.</param>
/// <param name="Rate">Token-bucket rate, cost units/s (its share when the memory is contended).</param>
/// <param name="Ceiling">Hard ceiling, cost units/s (the SLA limit; +infinity when none). Work-conserving borrowing never exceeds it.</param>
/// <param name="CostPerRequest">Mean cost of one of its requests, from its measured read/write mix.</param>
/// <param name="BytesPerRequest">Mean request size in bytes.</param>
/// <param name="Rule">The rule that set the rate.</param>
/// <param name="Congested">True when the application should see a congestion signal (ECN CE).</param>
public readonly record struct AppRate(AppId Application, double Rate, double Ceiling, double CostPerRequest, double BytesPerRequest, DecisionRule Rule, bool Congested)
{
    /// <summary>The wire form: IOPS and bytes/s limits, congestion flag, advertised rate (IOPS).</summary>
    public RateEntry ToRateEntry()
    {
        double iops = Rate / Math.Max(CostPerRequest, 1e-9);
        return new RateEntry
        {
            Application = Application,
            IopsLimit = Saturate(iops),
            BytesPerSecondLimit = Saturate(iops * BytesPerRequest),
            Congested = Congested,
            AdvertisedRate = Saturate(iops),
        };
    }

    private static ulong Saturate(double value) => value >= ulong.MaxValue ? ulong.MaxValue : value <= 0 ? 0 : (ulong)Math.Round(value);
}
