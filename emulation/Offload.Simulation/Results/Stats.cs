namespace Offload.Simulation.Results;

/// <summary>Percentiles and fairness indices.</summary>
internal static class Stats
{
    /// <summary>Nearest-rank percentile (0..100) of <paramref name="values"/>; NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<long> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = new long[values.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i] = values[i];
        }

        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Jain's fairness index (Σx)² / (n·Σx²): 1 = perfectly equal, 1/n = one takes all.</summary>
    public static double Jain(ReadOnlySpan<double> x)
    {
        double sum = 0, squares = 0;
        foreach (double v in x)
        {
            sum += v;
            squares += v * v;
        }

        return squares > 0 ? sum * sum / (x.Length * squares) : 1.0;
    }
}
