using Offload.Simulation.Engine;
using Offload.Simulation.Model;

namespace Offload.Simulation.Results;

/// <summary>Measurements of one run.</summary>
internal sealed class SimResult
{
    public required SchedulerKind Kind { get; init; }

    public required double PeriodSeconds { get; init; }

    public required double WarmupSeconds { get; init; }

    public required double DurationSeconds { get; init; }

    /// <summary>Busy channel time / available channel time after warm-up (1 = the memory never idled).</summary>
    public required double Utilization { get; init; }

    /// <summary>True capacity, cost units/s.</summary>
    public required double Capacity { get; init; }

    /// <summary>Policy's capacity estimate per period (0 when not Offload).</summary>
    public required double[] SeriesCapacity { get; init; }

    public required IReadOnlyList<TenantResult> Tenants { get; init; }

    public static SimResult From(SimulationConfig config, TenantRuntime[] tenants, double[] capacity, double busyIntegral, long periodNanos)
    {
        var list = new List<TenantResult>(tenants.Length);
        foreach (var t in tenants)
        {
            list.Add(new TenantResult
            {
                Name = t.Spec.Name,
                CompletionTimes = t.LatencyTimes,
                Latencies = t.Latencies,
                SeriesIops = t.SeriesIops,
                SeriesCost = t.SeriesCost,
                SeriesRate = t.SeriesRate,
            });
        }

        double available = config.Device.Channels * (config.DurationSeconds - config.WarmupSeconds) * 1e9;
        return new SimResult
        {
            Kind = config.Kind,
            PeriodSeconds = periodNanos / 1e9,
            WarmupSeconds = config.WarmupSeconds,
            DurationSeconds = config.DurationSeconds,
            Utilization = available > 0 ? busyIntegral / available : 0,
            Capacity = config.Device.ReadIops,
            SeriesCapacity = capacity,
            Tenants = list,
        };
    }

    public int IndexOf(string name)
    {
        for (int i = 0; i < Tenants.Count; i++)
        {
            if (Tenants[i].Name == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"no tenant named {name}", nameof(name));
    }

    /// <summary>p99 latency (µs) of requests completed in [from, to) seconds.</summary>
    public double P99Micros(int tenant, double from, double to, double percentile = 99)
    {
        var t = Tenants[tenant];
        long lo = (long)(from * 1e9), hi = (long)(to * 1e9);
        var window = new List<long>();
        for (int i = 0; i < t.CompletionTimes.Count; i++)
        {
            long c = t.CompletionTimes[i];
            if (c >= lo && c < hi)
            {
                window.Add(t.Latencies[i]);
            }
        }

        return Stats.Percentile(window, percentile) / 1000.0;
    }

    /// <summary>p99 latency (µs) after warm-up.</summary>
    public double P99Micros(int tenant) => P99Micros(tenant, WarmupSeconds, DurationSeconds + 1);

    /// <summary>Mean completed IOPS over periods in [from, to) seconds.</summary>
    public double MeanIops(int tenant, double from, double to) => Mean(Tenants[tenant].SeriesIops, from, to);

    /// <summary>Mean completed device cost units/s over [from, to).</summary>
    public double MeanCost(int tenant, double from, double to) => Mean(Tenants[tenant].SeriesCost, from, to);

    /// <summary>Mean IOPS after warm-up.</summary>
    public double MeanIops(int tenant) => MeanIops(tenant, WarmupSeconds, DurationSeconds);

    /// <summary>Mean cost rate after warm-up.</summary>
    public double MeanCost(int tenant) => MeanCost(tenant, WarmupSeconds, DurationSeconds);

    private double Mean(double[] series, double from, double to)
    {
        int a = (int)Math.Ceiling(from / PeriodSeconds), b = Math.Min(series.Length, (int)Math.Floor(to / PeriodSeconds));
        double sum = 0;
        int n = 0;
        for (int i = a; i < b; i++)
        {
            sum += series[i];
            n++;
        }

        return n > 0 ? sum / n : 0;
    }
}
