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
}
