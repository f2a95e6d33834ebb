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
}
