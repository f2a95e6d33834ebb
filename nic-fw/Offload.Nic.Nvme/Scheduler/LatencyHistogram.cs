namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Cumulative log-linear histogram of completed-command latencies in nanoseconds (8 sub-buckets per power of two,
/// so a reported percentile is within 12.5% of the true value). Recording is one interlocked increment and allocates
/// nothing; readers copy <see cref="Snapshot"/> and subtract an earlier copy to get a window. <see cref="ActiveGroups"/>
/// says which powers of two have ever been recorded (one bit per group of 8 buckets), so a reader of thousands of
/// histograms (per-connection telemetry) reads only those groups (<see cref="ReadGroup"/>) instead of all 512 buckets.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Buckets: 64 powers of two x 8 linear sub-buckets.</summary>
    public const int BucketCount = 64 * SubBuckets;

    private const int SubBuckets = 8;
    private const int SubBucketBits = 3;

    /// <summary>Buckets per group (one power of two); a group is one bit of <see cref="ActiveGroups"/>.</summary>
    public const int GroupSize = SubBuckets;

    private readonly long[] _counts = new long[BucketCount];
    private long _groups;

    /// <summary>Bit g set: bucket group g (buckets g*8 .. g*8+7) has been recorded at least once. Set before the count
    /// it announces; a reader that misses a just-set bit sees those completions at its next read (counts are cumulative).</summary>
    public ulong ActiveGroups => (ulong)Volatile.Read(ref _groups);

    /// <summary>Records one latency (negative values count as 0). The group bit costs a load and a compare once set.</summary>
    public void Record(long nanoseconds)
    {
        int bucket = BucketOf(nanoseconds);
        long bit = 1L << (bucket >> SubBucketBits);
        if ((Volatile.Read(ref _groups) & bit) == 0)
        {
            Interlocked.Or(ref _groups, bit);
        }

        Interlocked.Increment(ref _counts[bucket]);
    }

    /// <summary>Copies the cumulative counts of one group (<see cref="GroupSize"/> buckets from bucket group*8).</summary>
    public void ReadGroup(int group, Span<long> destination)
    {
        int first = group * SubBuckets;
        for (var i = 0; i < SubBuckets; i++)
        {
            destination[i] = Volatile.Read(ref _counts[first + i]);
        }
    }

    /// <summary>Copies the cumulative counts into <paramref name="destination"/> (length <see cref="BucketCount"/>).</summary>
    public void Snapshot(Span<long> destination)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            destination[i] = Volatile.Read(ref _counts[i]);
        }
    }

    /// <summary>The bucket a latency falls in.</summary>
    public static int BucketOf(long nanoseconds)
    {
        if (nanoseconds < SubBuckets)
        {
            return (int)Math.Max(0, nanoseconds);
        }

        var exponent = 63 - (int)long.LeadingZeroCount(nanoseconds);
        var sub = (int)((nanoseconds >> (exponent - SubBucketBits)) & (SubBuckets - 1));
        return ((exponent - SubBucketBits + 1) * SubBuckets) + sub;
    }

    /// <summary>A representative value (the middle) of a bucket, in nanoseconds.</summary>
    public static long ValueOf(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return bucket;
        }

        var exponent = (bucket / SubBuckets) + SubBucketBits - 1;
        var sub = bucket % SubBuckets;
        var low = (1L << exponent) + ((long)sub << (exponent - SubBucketBits));
        return low + (1L << (exponent - SubBucketBits) >> 1);
    }

    /// <summary>The value at <paramref name="quantile"/> (0..1) of a window of bucket counts; 0 when it is empty.</summary>
    public static long Percentile(ReadOnlySpan<long> window, double quantile)
    {
        long total = 0;
        foreach (var c in window)
        {
            total += c;
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < window.Length; i++)
        {
            seen += window[i];
            if (seen >= Math.Max(1, rank))
            {
                return ValueOf(i);
            }
        }

        return ValueOf(window.Length - 1);
    }
}
