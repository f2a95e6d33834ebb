using System.Numerics;

namespace Offload.Emulation.LoadGen;

/// <summary>
/// Fixed-size log-linear latency histogram (HdrHistogram-style): values in Stopwatch ticks, 64 sub-buckets per power
/// of two, so a percentile is within 1/32 (3%) of the true value. Recording allocates nothing; one per worker,
/// merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private readonly long[] _counts = new long[(64 - SubBucketBits + 1) * SubBuckets];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long value)
    {
        value = Math.Max(value, 0);
        _counts[Index(value)]++;
        Count++;
        if (value > Max)
        {
            Max = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1]: the upper edge of the bucket holding that rank,
    /// capped at the exact maximum.</summary>
    public long Percentile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Clamp((long)Math.Ceiling(q * Count), 1, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(UpperEdge(i), Max);
            }
        }

        return Max;
    }

    private static int Index(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var magnitude = 63 - BitOperations.LeadingZeroCount((ulong)value); // >= SubBucketBits
        var shift = magnitude - SubBucketBits + 1;
        var sub = (int)(value >> shift); // SubBuckets/2 .. SubBuckets-1
        return (shift * SubBuckets) + sub;
    }

    private static long UpperEdge(int index)
    {
        var shift = index / SubBuckets;
        var sub = index % SubBuckets;
        return shift == 0 ? sub : (((long)sub + 1) << shift) - 1;
    }
}
