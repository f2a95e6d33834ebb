namespace Offload.Emulation.Qos;

/// <summary>Small statistics used by the real-time scenarios.</summary>
public static class RtStats
{
    /// <summary>Jain's fairness index (Σx)² / (n·Σx²); 1 = equal, 1/n = one takes all.</summary>
    public static double Jain(IReadOnlyList<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double sum = 0, squares = 0;
        foreach (var v in x)
        {
            sum += v;
            squares += v * v;
        }

        return squares == 0 ? 0 : sum * sum / (x.Count * squares);
    }

    /// <summary>Median (the mean of the middle two for an even count); NaN when empty.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
