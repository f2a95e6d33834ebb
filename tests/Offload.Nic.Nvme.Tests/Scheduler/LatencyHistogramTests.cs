using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Nvme.Tests.Scheduler;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    [InlineData(8L)]
    [InlineData(1_000L)]
    [InlineData(11_600L)]
    [InlineData(1_000_000_000L)]
    [InlineData(long.MaxValue / 2)]
    public void ValueOf_BucketOfAValue_WithinOneEighth(long nanoseconds)
    {
        var bucket = LatencyHistogram.BucketOf(nanoseconds);

        Assert.InRange(bucket, 0, LatencyHistogram.BucketCount - 1);
        var value = LatencyHistogram.ValueOf(bucket);
        Assert.InRange(value, nanoseconds - (nanoseconds / 8) - 1, nanoseconds + (nanoseconds / 8) + 1);
    }

    [Fact]
    public void BucketOf_IncreasingValues_NeverDecreases()
    {
        var last = 0;
        for (long v = 0; v < 5_000_000; v += 997)
        {
            var b = LatencyHistogram.BucketOf(v);
            Assert.True(b >= last, $"bucket of {v} went down");
            last = b;
        }
    }

    [Fact]
    public void Percentile_KnownMix_P50AndP99FromTheRightBuckets()
    {
        var h = new LatencyHistogram();
        for (var i = 0; i < 990; i++)
        {
            h.Record(10_000);
        }

        for (var i = 0; i < 10; i++)
        {
            h.Record(5_000_000);
        }

        var window = new long[LatencyHistogram.BucketCount];
        h.Snapshot(window);

        Assert.InRange(LatencyHistogram.Percentile(window, 0.50), 8_750, 11_250);
        Assert.InRange(LatencyHistogram.Percentile(window, 0.99), 8_750, 11_250); // rank 990 is still a fast one
        Assert.InRange(LatencyHistogram.Percentile(window, 0.999), 4_375_000, 5_625_000);
        Assert.Equal(0, LatencyHistogram.Percentile(new long[LatencyHistogram.BucketCount], 0.99));
    }

    [Fact]
    public void ActiveGroups_RandomLatencies_ExactlyTheGroupsWithCountsAndReadGroupMatchesSnapshot()
    {
        var h = new LatencyHistogram();
        var random = new Random(5);
        for (var i = 0; i < 20_000; i++)
        {
            h.Record((long)Math.Pow(10, random.NextDouble() * 7)); // 1 ns .. 10 ms
        }

        var all = new long[LatencyHistogram.BucketCount];
        h.Snapshot(all);
        var group = new long[LatencyHistogram.GroupSize];
        ulong expected = 0;
        for (var g = 0; g < 64; g++)
        {
            h.ReadGroup(g, group);
            Assert.Equal(all.AsSpan(g * LatencyHistogram.GroupSize, LatencyHistogram.GroupSize).ToArray(), group);
            if (group.Any(c => c > 0))
            {
                expected |= 1UL << g;
            }
        }

        Assert.Equal(expected, h.ActiveGroups);
        Assert.True(System.Numerics.BitOperations.PopCount(expected) > 10);
        Assert.Equal(0UL, new LatencyHistogram().ActiveGroups);
    }
}
