using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Scheduler;

public sealed class QueueOccupancyTests
{
    [Fact]
    public void AverageDepth_StepHeldForManyTimeConstants_ConvergesToDepth()
    {
        var time = new SimulatedTimeProvider();
        var q = new QueueOccupancy(time, 128);
        q.Set(100);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(100, q.Depth);
        Assert.InRange(q.AverageDepth, 99.9, 100.0);
        q.Set(0);
        Assert.Equal(0, q.Depth);
        time.Advance(QueueOccupancy.TimeConstant);
        Assert.InRange(q.AverageDepth, 100 / Math.E - 0.5, 100 / Math.E + 0.5);
    }

    [Theory]
    [InlineData(10, OccupancyLevel.Low)]
    [InlineData(40, OccupancyLevel.Medium)]
    [InlineData(100, OccupancyLevel.High)]
    public void Classify_DefaultThresholds_Level(int depth, OccupancyLevel expected) =>
        Assert.Equal(expected, new OccupancyThresholds().Classify(depth, 128));

    [Fact]
    public void Classify_CustomThresholds_Level() =>
        Assert.Equal(OccupancyLevel.High, new OccupancyThresholds(0.05, 0.1).Classify(13, 128));
}
