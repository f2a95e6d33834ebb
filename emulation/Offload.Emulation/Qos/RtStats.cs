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
}
