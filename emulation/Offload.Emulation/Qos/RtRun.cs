namespace Offload.Emulation.Qos;

/// <summary>One real-time run of a scenario's tenants in one mode.</summary>
public sealed record RtRun(QosMode Mode, double CapacityIops, double Seconds, double WarmupSeconds, IReadOnlyList<RtTenantResult> Tenants)
{
    /// <summary>Window length of the series in seconds.</summary>
    public const double WindowSeconds = 0.1;

    /// <summary>offloadd's <c>GET /v1/rates</c> answer shortly before the end (static limits and Offload), else null.</summary>
    public string? RatesAtEnd { get; init; }

    /// <summary>offloadd's rate for each tenant (in tenant order) sampled from <c>GET /v1/rates</c> in the middle of
    /// every window (NaN: no sample, or no rate for the tenant); null when the mode has no controller rates.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? RateSeries { get; init; }

    /// <summary>Total IOPS over the measured interval.</summary>
    public double TotalIops => Tenants.Sum(t => t.MeanIops);

    /// <summary>Total IOPS over the measured interval / capacity.</summary>
    public double Utilization => TotalIops / CapacityIops;

    /// <summary>The tenant named <paramref name="name"/>.</summary>
    public RtTenantResult this[string name] => Tenants.First(t => t.Name == name);
}
