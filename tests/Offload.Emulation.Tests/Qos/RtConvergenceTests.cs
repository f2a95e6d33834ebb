using Offload.Emulation.Qos;

namespace Offload.Emulation.Tests.Qos;

/// <summary>Scenario 4's measures on hand-made window series.</summary>
public sealed class RtConvergenceTests
{
    private static readonly int[] Both = [0, 1];

    [Fact]
    public void ReachedAndHeld_LateNoisyWindow_ReachedEarlyHeldAfterIt()
    {
        double[][] series =
        [
            [0, 500, 1000, 1000, 850, 1000, 1000],
            [2000, 1500, 1000, 1000, 1000, 1000, 1000],
        ];

        Assert.Equal(2, RtConvergence.Reached(series, Both, 0, 7, fair: 1000));
        Assert.Equal(5, RtConvergence.Held(series, Both, 0, 7, fair: 1000));
        Assert.Equal(-1, RtConvergence.Reached(series, Both, 0, 2, fair: 1000));
        Assert.Equal(-1, RtConvergence.Held(series, Both, 0, 5, fair: 1000));
    }

    [Fact]
    public void Swing_WorstTenantDistanceFromItsMean_NaNSamplesSkipped()
    {
        double[][] series =
        [
            [100, 110, 90, double.NaN],
            [200, 200, 200, 200],
        ];

        Assert.Equal(0.1, RtConvergence.Swing(series, Both, 0, 4), 9);
        Assert.Equal(0, RtConvergence.Swing(series, [1], 0, 4));
        Assert.True(double.IsNaN(RtConvergence.Swing(series, [0], 3, 4)));
    }
}
