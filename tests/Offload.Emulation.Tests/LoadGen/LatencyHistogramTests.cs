using Offload.Emulation.LoadGen;

namespace Offload.Emulation.Tests.LoadGen;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentile_RandomLatencies_WithinBucketResolutionOfExact()
    {
        var random = new Random(7);
        var values = new long[100_000];
        var histogram = new LatencyHistogram();
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (long)Math.Exp(random.NextDouble() * 16); // 1 .. ~9M ticks, log-spread
            histogram.Record(values[i]);
        }

        Array.Sort(values);
        foreach (var q in new[] { 0.5, 0.9, 0.99, 0.999 })
        {
            var exact = values[(int)Math.Ceiling(q * values.Length) - 1];
            var estimate = histogram.Percentile(q);
            Assert.InRange(estimate, exact, (exact * 1.04) + 1);
        }

        Assert.Equal(values[^1], histogram.Percentile(1.0));
        Assert.Equal(values[^1], histogram.Max);
    }

    [Fact]
    public void Add_TwoHistograms_CountsAndMaxMerge()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        a.Record(10);
        b.Record(1_000_000);
        a.Add(b);
        Assert.Equal(2, a.Count);
        Assert.Equal(1_000_000, a.Max);
        Assert.Equal(10, a.Percentile(0.5));
    }
}
