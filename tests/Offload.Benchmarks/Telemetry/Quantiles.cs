namespace Offload.Benchmarks.Telemetry;

/// <summary>Quantiles of a run's measurements (the value at rank q x count of the sorted values; NaN when empty).</summary>
internal static class Quantiles
{
    public static double Of(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    }

    public static double Median(IEnumerable<double> values) => Of(values, 0.5);
}
