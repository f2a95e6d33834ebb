using Offload.Simulation.Model;
using Offload.Simulation.Scenarios;

namespace Offload.Simulation.Tests.Scenarios;

/// <summary>The acceptance scenarios in simulation, same device and seed as docs/QOS.md.</summary>
public class QosScenariosTests
{
    private static readonly QosScenarios Scenarios = new(new DeviceModel(), seed: 1);

    private static void AssertGoalsMet(ScenarioReport report)
    {
        foreach (var goal in report.Goals)
        {
            Assert.True(goal.Met, $"{report.Title}: {goal.Goal}: {goal.Measured}");
        }
    }

    [Fact]
    public void Fairness_Qd1To64_JainAtLeast099AndFifoFarLower() => AssertGoalsMet(Scenarios.Fairness());

    [Fact]
    public void Isolation_AggressorQd128_VictimsWithin15xAloneWorkConservingFullUtilization() => AssertGoalsMet(Scenarios.Isolation());

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Isolation_OtherSeeds_GoalsStillMet(int seed) => AssertGoalsMet(new QosScenarios(new DeviceModel(), seed).Isolation());

    [Fact]
    public void Weights_124ReservationLimit_SharesWithin5PercentReservationMetLimitWithin2Percent() => AssertGoalsMet(Scenarios.Weights());

    [Fact]
    public void Weights_Seed2_LimitStillWithin2Percent()
    {
        var report = new QosScenarios(new DeviceModel(), seed: 2).Weights();
        Assert.True(report.Goals[2].Met, report.Goals[2].Measured);
    }

    [Fact]
    public void Convergence_JoinAndLeave_Within10PeriodsNoOscillation() => AssertGoalsMet(Scenarios.Convergence());

    [Fact]
    public void ReadWriteMix_CostModelOn_ReadersKeepTheirShare() => AssertGoalsMet(Scenarios.ReadWriteMix());

    // Seeds 1 and 3 only: with seed 2 the goal is not met (docs/QOS.md robustness table and "Limits").
    [Fact]
    public void Prediction_HeavyReturnsSeed1_HistoryHalvesTheVictimsSpike() => AssertGoalsMet(Scenarios.Prediction());
}
