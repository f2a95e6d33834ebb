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

    /// <summary>After a leave (the committed run's windows): the remaining tenants ramp within the first window
    /// (2,330) and then hold 2,500 ± 10. The swings start after the window that held (throughput) or reached (rates):
    /// 0.4%, not the 6.7% the transition window made when it was counted.</summary>
    [Fact]
    public void Converge_TransitionWindow_NotInTheSwingAfterIt()
    {
        double[][] iops =
        [
            [1670, 2330, 2500, 2490, 2500, 2510, 2500],
            [1670, 2330, 2500, 2510, 2500, 2490, 2500],
        ];
        double[][] rates =
        [
            [1667, 2400, 2500, 2500, 2500, 2500, 2500],
            [1667, 2400, 2500, 2500, 2500, 2500, 2500],
        ];

        var (reached, held, swing, rateSwing) = RtConvergence.Converge(iops, rates, Both, 1, 7, fair: 2500);

        Assert.Equal(1, reached);
        Assert.Equal(1, held);
        Assert.InRange(swing, 0.003, 0.005);
        Assert.Equal(0, rateSwing);
        Assert.True(RtConvergence.Swing(iops, Both, held, 7) > 0.05, "counted, the transition window alone breaks ±5%");
        Assert.True(double.IsNaN(RtConvergence.Converge(iops, null, Both, 1, 7, fair: 2500).RateSwing));
    }

    /// <summary>The end of the first window after an event, in the milliseconds the table shows: 200 ms after a join at
    /// 1.7 s is exactly 0.2 s (the unrounded double is 0.20000000000000018 and failed a "&lt;= 200 ms" goal).</summary>
    [Fact]
    public void SecondsAfter_WindowEnds_WholeMillisecondsNeverForNegative()
    {
        Assert.True((((18 + 1) * 0.1) - 1.7) > 0.2); // the double arithmetic the verdict used to compare
        Assert.Equal(0.2, RtConvergence.SecondsAfter(18, 1.7, 0.1));
        Assert.True(RtConvergence.SecondsAfter(18, 1.7, 0.1) <= 0.2);
        Assert.Equal(0.3, RtConvergence.SecondsAfter(35, 3.3, 0.1));
        Assert.Equal(double.PositiveInfinity, RtConvergence.SecondsAfter(-1, 1.7, 0.1));
    }
}
