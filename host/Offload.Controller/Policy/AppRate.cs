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
    /// <summary>Fraction below the ceiling a rate at the ceiling is enforced at.</summary>
    public const double CeilingMargin = 0.02;

    /// <summary>Depth of the application's rate buckets on the NIC (zero: nic-fw's default, 10 ms). The latency class
    /// gets a deeper bucket so Poisson bursts pass without waiting.</summary>
    public TimeSpan Burst { get; init; }

    /// <summary>The wire form: IOPS and bytes/s limits, ceiling (IOPS), bucket depth, congestion flag, advertised rate (IOPS).</summary>
    public RateEntry ToRateEntry()
    {
        double perRequest = Math.Max(CostPerRequest, 1e-9);

        // A rate at the ceiling runs CeilingMargin below it: commands admitted at the rate still wait for the dequeue,
        // and a queue that drains in a burst must not carry a window over the ceiling.
        double iops = Math.Min(Rate, Ceiling * (1 - CeilingMargin)) / perRequest;
        return new RateEntry
        {
            Application = Application,
            IopsLimit = Saturate(iops),
            BytesPerSecondLimit = Saturate(iops * BytesPerRequest),
            Congested = Congested,
            AdvertisedRate = Saturate(iops),
            CeilingIops = double.IsFinite(Ceiling) ? Math.Max(1, Saturate(Ceiling / perRequest)) : 0,
            BurstMicros = (uint)Math.Clamp(Burst.TotalMicroseconds, 0, uint.MaxValue),
        };
    }

    private static ulong Saturate(double value) => value >= ulong.MaxValue ? ulong.MaxValue : value <= 0 ? 0 : (ulong)Math.Round(value);
}
