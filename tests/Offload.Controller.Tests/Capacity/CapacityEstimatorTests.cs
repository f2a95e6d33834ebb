using Offload.Controller.Capacity;

namespace Offload.Controller.Tests.Capacity;

public class CapacityEstimatorTests
{
    [Fact]
    public void Update_BackloggedSamples_ConvergesToMeasured()
    {
        var e = new CapacityEstimator(100_000, 0.3);
        for (int i = 0; i < 30; i++)
        {
            e.Update(40_000, backlogged: true);
        }

        Assert.InRange(e.Estimate, 39_900, 40_100);
    }

    [Fact]
    public void Update_NotBackloggedLowSample_EstimateHeld()
    {
        var e = new CapacityEstimator(50_000);
        Assert.False(e.Update(1_000, backlogged: false));
        Assert.Equal(50_000, e.Estimate);
    }

    [Fact]
    public void Update_NotBackloggedHigherSample_EstimateRaised()
    {
        var e = new CapacityEstimator(50_000);
        Assert.True(e.Update(60_000, backlogged: false));
        Assert.Equal(60_000, e.Estimate);
    }

    [Fact]
    public void Update_NaN_Ignored()
    {
        var e = new CapacityEstimator(50_000);
        Assert.False(e.Update(double.NaN, backlogged: true));
        Assert.Equal(50_000, e.Estimate);
    }

    [Fact]
    public void Observe_BackloggedHeldAtOwnRatesLowCompletions_NeverPulledDown()
    {
        // Tenants held by their own buckets complete only the sum of their rates: not a capacity sample.
        var e = new CapacityEstimator(40_000, 0.3);
        for (int i = 0; i < 50; i++)
        {
            e.Observe(8_000, backlogged: true, memoryBound: false);
        }

        Assert.Equal(40_000, e.Estimate);
    }

    [Fact]
    public void Observe_HeldAtRatesAndWholeEstimateDelivered_ProbesUpwardByStep()
    {
        var e = new CapacityEstimator(30_000, 0.3, probeStep: 0.02);
        Assert.True(e.Observe(30_000, backlogged: true, memoryBound: false));
        Assert.Equal(30_600, e.Estimate, 6);
        Assert.Equal(1, e.ProbeCount);

        // Not taken up (completions stay at 30,000): the probe stops within the tolerance of what was delivered.
        for (int i = 0; i < 20; i++)
        {
            e.Observe(30_000, backlogged: true, memoryBound: false);
        }

        Assert.InRange(e.Estimate, 30_600, 30_000 / 0.98);
    }

    [Fact]
    public void Observe_MemoryBound_ConvergesToCompletionsEvenDownward()
    {
        var e = new CapacityEstimator(60_000, 0.3);
        for (int i = 0; i < 30; i++)
        {
            e.Observe(40_000, backlogged: true, memoryBound: true);
        }

        Assert.InRange(e.Estimate, 39_900, 40_100);
    }

    [Fact]
    public void Observe_ProbeThenMemoryBound_SettlesNearTrueCapacity()
    {
        // A memory of 40,000: below it tenants sit at their rates (probe); above it they fall short (sample).
        var e = new CapacityEstimator(20_000, 0.3);
        for (int i = 0; i < 200; i++)
        {
            double completed = Math.Min(e.Estimate, 40_000);
            e.Observe(completed, backlogged: true, memoryBound: e.Estimate > 40_000 / 0.9);
        }

        Assert.InRange(e.Estimate, 40_000, 40_000 / 0.9);
    }

    /// <summary>With a sample size, consecutive memory-bound periods are pooled into one sample (their units over their
    /// time): five 10 ms periods of 50 units alternating 2,000 and 8,000 units/s move the estimate once, to the pooled
    /// 5,000-ish rate, instead of swinging with every period.</summary>
    [Fact]
    public void Observe_SmallMemoryBoundPeriods_PooledIntoOneSampleOfTheSampleSize()
    {
        var e = new CapacityEstimator(5_000, alpha: 1.0, sampleUnits: 250);
        double[] rates = [2_000, 8_000, 2_000, 8_000];
        foreach (double r in rates)
        {
            Assert.False(e.Observe(r, backlogged: true, memoryBound: true, periodSeconds: 0.01));
            Assert.Equal(5_000, e.Estimate);
        }

        // 200 units so far; the fifth period brings the pool to 300 units over 50 ms.
        Assert.True(e.Observe(10_000, backlogged: true, memoryBound: true, periodSeconds: 0.01));
        Assert.Equal(300 / 0.05, e.Estimate, 6);

        // Each period its own sample without a sample size (the old behaviour).
        var every = new CapacityEstimator(5_000, alpha: 1.0);
        Assert.True(every.Observe(2_000, backlogged: true, memoryBound: true, periodSeconds: 0.01));
        Assert.Equal(2_000, every.Estimate);
    }

    /// <summary>A pool holds only consecutive memory-bound periods: a period that is not memory-bound drops it.</summary>
    [Fact]
    public void Observe_PoolInterruptedByAPeriodThatIsNotMemoryBound_StartsAgain()
    {
        var e = new CapacityEstimator(5_000, alpha: 1.0, sampleUnits: 100);
        Assert.False(e.Observe(9_000, backlogged: true, memoryBound: true, periodSeconds: 0.01)); // 90 units
        e.Observe(1_000, backlogged: false, memoryBound: false, periodSeconds: 0.01);
        Assert.False(e.Observe(3_000, backlogged: true, memoryBound: true, periodSeconds: 0.01)); // 30: the 90 are gone
        Assert.True(e.Observe(8_000, backlogged: true, memoryBound: true, periodSeconds: 0.01));  // 110 over 20 ms
        Assert.Equal(110 / 0.02, e.Estimate, 6);
    }
}
