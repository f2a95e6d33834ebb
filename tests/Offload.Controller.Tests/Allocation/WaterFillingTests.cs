using Offload.Controller.Allocation;

namespace Offload.Controller.Tests.Allocation;

public class WaterFillingTests
{
    private const double Inf = double.PositiveInfinity;

    private static double[] Run(double capacity, params FairShareRequest[] r)
    {
        var x = new double[r.Length];
        WaterFilling.Allocate(capacity, r, x);
        return x;
    }

    [Fact]
    public void Allocate_EqualWeightsUnboundedDemand_SplitsEqually()
    {
        var x = Run(100, new(1, 0, Inf, Inf), new(1, 0, Inf, Inf), new(1, 0, Inf, Inf), new(1, 0, Inf, Inf));
        Assert.All(x, v => Assert.Equal(25, v, 6));
    }

    [Fact]
    public void Allocate_Weights124_ProportionalShares()
    {
        var x = Run(700, new(1, 0, Inf, Inf), new(2, 0, Inf, Inf), new(4, 0, Inf, Inf));
        Assert.Equal(100, x[0], 6);
        Assert.Equal(200, x[1], 6);
        Assert.Equal(400, x[2], 6);
    }

    [Fact]
    public void Allocate_OneDemandBelowShare_OthersSplitTheRest()
    {
        var x = Run(90, new(1, 0, 10, Inf), new(1, 0, Inf, Inf), new(1, 0, Inf, Inf));
        Assert.Equal(10, x[0], 6);
        Assert.Equal(40, x[1], 6);
        Assert.Equal(40, x[2], 6);
    }

    [Fact]
    public void Allocate_ReservationAboveShare_ReservationHonoured()
    {
        var x = Run(100, new(1, 50, Inf, Inf), new(1, 0, Inf, Inf), new(1, 0, Inf, Inf));
        Assert.Equal(50, x[0], 6);
        Assert.Equal(25, x[1], 6);
        Assert.Equal(25, x[2], 6);
    }

    [Fact]
    public void Allocate_LimitBelowShare_CappedAndSurplusRedistributed()
    {
        var x = Run(100, new(1, 0, Inf, 10), new(1, 0, Inf, Inf));
        Assert.Equal(10, x[0], 6);
        Assert.Equal(90, x[1], 6);
    }

    [Fact]
    public void Allocate_AllDemandsSmall_SurplusGivenByWeightUpToLimits()
    {
        var x = Run(100, new(1, 0, 10, 20), new(3, 0, 10, Inf));
        Assert.Equal(20, x[0], 6); // limit
        Assert.Equal(80, x[1], 6);
        Assert.Equal(100, x.Sum(), 6);
    }

    [Fact]
    public void Allocate_ReservationsExceedCapacity_ScaledAndReportsInfeasible()
    {
        var x = new double[2];
        bool feasible = WaterFilling.Allocate(100, [new(1, 100, Inf, Inf), new(1, 100, Inf, Inf)], x);
        Assert.False(feasible);
        Assert.Equal(50, x[0], 6);
        Assert.Equal(50, x[1], 6);
    }

    [Fact]
    public void Allocate_RandomInputs_InvariantsHold()
    {
        var rng = new Random(7);
        for (int c = 0; c < 20_000; c++)
        {
            int n = rng.Next(1, 9);
            var r = new FairShareRequest[n];
            double capacity = rng.Next(1, 1000);
            for (int i = 0; i < n; i++)
            {
                double limit = rng.NextDouble() < 0.3 ? rng.Next(1, 500) : Inf;
                double reservation = rng.NextDouble() < 0.3 ? Math.Min(limit, rng.Next(0, 200)) : 0;
                double demand = rng.NextDouble() < 0.5 ? rng.Next(0, 600) : Inf;
                r[i] = new FairShareRequest(rng.Next(1, 8), reservation, demand, limit);
            }

            var x = new double[n];
            bool feasible = WaterFilling.Allocate(capacity, r, x);
            Assert.True(x.Sum() <= capacity * (1 + 1e-6), $"case {c}: over capacity");
            double sumLimits = r.Sum(q => q.Limit);
            if (feasible && double.IsInfinity(sumLimits))
            {
                Assert.True(x.Sum() >= capacity * (1 - 1e-6), $"case {c}: not work-conserving");
            }

            for (int i = 0; i < n; i++)
            {
                Assert.True(x[i] <= r[i].Limit * (1 + 1e-6), $"case {c}: limit exceeded");
                if (feasible)
                {
                    Assert.True(x[i] >= Math.Min(r[i].Reservation, r[i].Limit) * (1 - 1e-6), $"case {c}: reservation missed");
                }
            }
        }
    }
}
