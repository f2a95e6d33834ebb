using Microsoft.Extensions.Logging.Abstractions;
using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Controller.Explain;
using Offload.Host.Loop;
using Offload.Testing.Time;

namespace Offload.Host.Tests.Loop;

public sealed class NicControlLoopTests
{
    private static readonly AppId App = new(1);

    [Fact]
    public void Evaluate_NoFlowMetadataYet_RunsDryButRecordsDecisions()
    {
        var loop = NewLoop(new ControlLoopOptions());

        var update = loop.Evaluate(Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.High));

        Assert.Null(update);
        Assert.Equal(1, loop.Evaluations);
        Assert.NotNull(loop.LastOutput);
        Assert.NotEmpty(loop.Explain(App, 10));
    }

    [Fact]
    public void Evaluate_WithFlowMetadata_ReturnsFullRateUpdateForTheApp()
    {
        var loop = NewLoop(new ControlLoopOptions());
        loop.OnFlowMetadata(Flows(1000));

        var update = loop.Evaluate(Occupancy(OccupancyTrigger.Periodic, OccupancyLevel.Low));

        Assert.NotNull(update);
        Assert.True(update.IsFull);
        var entry = Assert.Single(update.Entries);
        Assert.Equal(App, entry.Application);
        Assert.True(entry.IopsLimit > 0);
        Assert.Equal(update.Epoch, loop.LastSentEpoch);
    }

    [Fact]
    public void Evaluate_PeriodicReportWithUnchangedRates_SendsNothingButAnEvaluatedThresholdAlwaysSends()
    {
        var loop = NewLoop(new ControlLoopOptions { RequireFlowMetadata = false });
        RateUpdate? last = null;
        for (int i = 0; i < 50; i++)
        {
            last = loop.Evaluate(Occupancy(OccupancyTrigger.Periodic, OccupancyLevel.Low)) ?? last;
        }

        Assert.NotNull(last);
        Assert.Null(loop.Evaluate(Occupancy(OccupancyTrigger.Periodic, OccupancyLevel.Low)));
        Assert.NotNull(loop.Evaluate(Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.High)));
    }

    /// <summary>Threshold reports are evaluated at once only when congestion begins or ends (the set of queues at
    /// High changes); a queue flapping between Low and Medium, or another report while the same queue stays High,
    /// waits for the next periodic report.</summary>
    [Fact]
    public void Evaluate_ThresholdReportsWithoutACongestionChange_FoldedIntoTheNextPeriod()
    {
        var loop = NewLoop(new ControlLoopOptions { RequireFlowMetadata = false });
        Assert.NotNull(loop.Evaluate(Occupancy(OccupancyTrigger.Periodic, OccupancyLevel.Low)));
        long evaluations = loop.Evaluations;

        Assert.Null(loop.Evaluate(Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.Medium)));
        Assert.Null(loop.Evaluate(Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.Low)));
        Assert.Equal(evaluations, loop.Evaluations);
        Assert.Equal(2, loop.ThresholdsFolded);

        Assert.NotNull(loop.Evaluate(Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.High)));
        Assert.Null(loop.Evaluate(Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.High)));
        Assert.NotNull(loop.Evaluate(Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.Medium)));
        Assert.Equal(evaluations + 2, loop.Evaluations);
        Assert.Equal(3, loop.ThresholdsFolded);
    }

    [Fact]
    public void Evaluate_ThresholdReportWithANewApplication_EvaluatedAtOnce()
    {
        var loop = NewLoop(new ControlLoopOptions { RequireFlowMetadata = false });
        Assert.NotNull(loop.Evaluate(Occupancy(OccupancyTrigger.Periodic, OccupancyLevel.Low)));
        var joined = Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.Medium);
        joined.Entries.Add(new QueueOccupancyEntry { Application = new AppId(2), Queue = new QueueId(1), SqSize = 128, CqSize = 128 });

        Assert.NotNull(loop.Evaluate(joined));
        Assert.Equal(0, loop.ThresholdsFolded);
    }

    [Fact]
    public void Evaluate_EvaluateEveryThreshold_NothingFolded()
    {
        var loop = NewLoop(new ControlLoopOptions { RequireFlowMetadata = false, EvaluateEveryThreshold = true });
        Assert.NotNull(loop.Evaluate(Occupancy(OccupancyTrigger.Periodic, OccupancyLevel.Low)));

        Assert.NotNull(loop.Evaluate(Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.Medium)));
        Assert.NotNull(loop.Evaluate(Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.Low)));
        Assert.Equal(0, loop.ThresholdsFolded);
    }

    /// <summary>A NIC with no applications gets one empty RateUpdate and AllocationUpdate (it clears what it
    /// enforced), then nothing while nothing changes: it used to get both every period, and answer each with an Ack
    /// (400 messages a second between an idle NIC and offloadd). A reconnect sends them again, once.</summary>
    [Fact]
    public void Evaluate_NoApplications_OneEmptyUpdateThenNothingUntilAReconnect()
    {
        var loop = NewLoop(new ControlLoopOptions { RequireFlowMetadata = false });

        var first = loop.Evaluate(new QueueOccupancy { Trigger = OccupancyTrigger.Periodic }, out var allocation);
        Assert.NotNull(first);
        Assert.Empty(first.Entries);
        Assert.NotNull(allocation);
        Assert.Empty(allocation.Entries);
        for (int i = 0; i < 20; i++)
        {
            Assert.Null(loop.Evaluate(new QueueOccupancy { Trigger = OccupancyTrigger.Periodic }, out allocation));
            Assert.Null(allocation);
        }

        loop.OnClosed(null!, "test");
        Assert.NotNull(loop.Evaluate(new QueueOccupancy { Trigger = OccupancyTrigger.Periodic }, out allocation));
        Assert.NotNull(allocation);
        Assert.Null(loop.Evaluate(new QueueOccupancy { Trigger = OccupancyTrigger.Periodic }, out allocation));
        Assert.Null(allocation);
    }

    [Fact]
    public void Evaluate_EnforceOff_NeverReturnsAnUpdate()
    {
        var loop = NewLoop(new ControlLoopOptions { Enforce = false, RequireFlowMetadata = false });

        Assert.Null(loop.Evaluate(Occupancy(OccupancyTrigger.Threshold, OccupancyLevel.High)));
    }

    /// <summary>Controller:BackloggedSqWindowAverage reaches the policy: with the default an application whose SQ held
    /// a command all window is starved; with the rule turned off (a large threshold) it tracks its demand.</summary>
    [Theory]
    [InlineData(0.9, DecisionRule.StarvedRaise)]
    [InlineData(1000, DecisionRule.TrackDemand)]
    public void Evaluate_SqWindowAverageThresholdFromConfiguration_DecidesStarved(double threshold, DecisionRule expected)
    {
        var loop = NewLoop(new ControlLoopOptions { BackloggedSqWindowAverage = threshold });
        loop.OnFlowMetadata(Flows(1000));
        var occupancy = Occupancy(OccupancyTrigger.Periodic, OccupancyLevel.Low);
        occupancy.Entries[0] = occupancy.Entries[0] with { SqDepth = 1, SqAverage = 0.01f, SqWindowAverage = 0.98f };

        loop.Evaluate(occupancy);

        Assert.Equal(expected, loop.LastOutput!.Rates.Single(r => r.Application == App).Rule);
    }

    private static NicControlLoop NewLoop(ControlLoopOptions options) =>
        new("tcp://127.0.0.1:7420", options, new SimulatedTimeProvider(), NullLogger.Instance);

    private static QueueOccupancy Occupancy(OccupancyTrigger trigger, OccupancyLevel sqLevel)
    {
        var m = new QueueOccupancy { Trigger = trigger };
        m.Entries.Add(new QueueOccupancyEntry { Application = App, Queue = new QueueId(1), SqSize = 128, SqDepth = sqLevel == OccupancyLevel.High ? 120U : 0U, SqLevel = sqLevel, CqSize = 128 });
        return m;
    }

    private static FlowMetadataBatch Flows(float readRate)
    {
        var b = new FlowMetadataBatch { PeriodNanos = 10_000_000 };
        b.Flows.Add(new FlowRecord { FlowId = 1, Application = App, ReadRateWindow = readRate, ReadRate = readRate, ReadWriteRatio = 1 });
        return b;
    }
}
