using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Testing.Time;

namespace Offload.Nic.Nvme.Tests.Scheduler;

public sealed class QueueOccupancyTests
{
    /// <summary>The series used for short intervals agrees with 1 - e^-x on both sides of its cut-off, and a negative
    /// interval (a reading timestamped just before a concurrent change) weighs nothing.</summary>
    [Fact]
    public void Weight_AnyInterval_MatchesExponential()
    {
        for (double x = 0; x < 3; x += 0.0003)
        {
            Assert.Equal(1 - Math.Exp(-x), QueueOccupancy.Weight(x), 1e-8);
        }

        // Up to the cut-off at 40 and beyond.
        for (double x = 0.0625; x < 45; x += 0.00071)
        {
            Assert.Equal(1 - Math.Exp(-x), QueueOccupancy.Weight(x), 1e-9);
        }

        Assert.Equal(0, QueueOccupancy.Weight(-0.01));
        Assert.Equal(1, QueueOccupancy.Weight(1000), 1e-12);
    }

    /// <summary>A queue that goes idle after a burst: its average (in the queue, and in a reader's tracker swept every
    /// 10 ms) reaches exactly 0 and never passes through subnormal doubles (which cost a microcode assist per operation
    /// and, without the snap, were never left: a decay step under half the least subnormal rounds to no change).</summary>
    [Fact]
    public void Average_IdleForHours_ExactlyZeroNeverSubnormal()
    {
        double x = 32;
        for (int i = 0; i < 1_000_000; i++)
        {
            x = QueueOccupancy.Toward(x, 0, QueueOccupancy.Weight(0.01));
            Assert.False(double.IsSubnormal(x), $"step {i}: {x}");
        }

        Assert.Equal(0.0, x);

        // The unsnapped update is stuck on a subnormal (what the sweep used to compute).
        double old = 32;
        for (int i = 0; i < 1_000_000; i++)
        {
            old += (0 - old) * QueueOccupancy.Weight(0.01);
        }

        Assert.True(double.IsSubnormal(old));

        var time = new SimulatedTimeProvider();
        var queue = new QueueOccupancy(time, 64);
        queue.Set(40);
        time.Advance(TimeSpan.FromSeconds(2));
        queue.Set(0);
        var line = new ConnectionLine { Submission = new QueueState { Depth = 0, LastChange = time.GetTimestamp(), Average = queue.AverageDepth } };
        var tracker = default(AverageTracker);
        double constants = QueueOccupancy.ConstantsPerTick(time);
        double average = 0;
        for (int i = 0; i < 200_000; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            average = tracker.Read(ref line.Submission, time.GetTimestamp(), constants);
            Assert.False(double.IsSubnormal(average), $"read {i}: {average}");
        }

        Assert.Equal(0.0, average);
    }

    /// <summary>Many small steps (a busy queue: every change is microseconds after the previous) give the same average
    /// as the exact exponential, and a reading at a given timestamp equals the reading at that time.</summary>
    [Fact]
    public void AverageDepthAt_ManySmallSteps_SameAsExactAverage()
    {
        var time = new SimulatedTimeProvider();
        var q = new QueueOccupancy(time, 128);
        double exact = 0;
        int depth = 0;
        var random = new Random(3);
        for (int i = 0; i < 20_000; i++)
        {
            var step = TimeSpan.FromMicroseconds(random.Next(1, 200));
            time.Advance(step);
            exact += (depth - exact) * (1 - Math.Exp(-step.TotalSeconds));
            depth = random.Next(0, 128);
            q.Set(depth);
        }

        long at = time.GetTimestamp() + (time.TimestampFrequency / 100); // 10 ms ahead
        double expected = exact + ((depth - exact) * (1 - Math.Exp(-0.01)));
        Assert.Equal(expected, q.AverageDepthAt(at), 1e-6);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(q.AverageDepth, q.AverageDepthAt(time.GetTimestamp()), 12);
    }

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

    /// <summary>The window average is the exact mean depth over the window (depth x time held, over the window), and a
    /// queue that starts holding one command shows at once in it (just under 1 for a 10 ms window) while the 1 s
    /// time-averaged depth is still 0.01: what lets the controller see a newly throttled tenant as backlogged.</summary>
    [Fact]
    public void WindowAverage_DepthHeldPartOfTheWindow_ExactMeanWhileTheTimeAverageLags()
    {
        var time = new SimulatedTimeProvider();
        var queue = new QueueOccupancy(time, 64);
        long start = time.GetTimestamp();
        long integralStart = queue.IntegralAt(start);
        time.Advance(TimeSpan.FromMilliseconds(2));
        queue.Set(4);                                   // 4 for 3 ms
        time.Advance(TimeSpan.FromMilliseconds(3));
        queue.Set(1);                                   // 1 for 5 ms (held at the end of the window)
        time.Advance(TimeSpan.FromMilliseconds(5));
        long end = time.GetTimestamp();
        double window = QueueOccupancy.WindowAverage(integralStart, start, queue.IntegralAt(end), end);
        Assert.Equal(((4 * 3) + (1 * 5)) / 10.0, window, 9);

        // The next window: one command held all along.
        long integralEnd = queue.IntegralAt(end);
        time.Advance(TimeSpan.FromMilliseconds(10));
        long later = time.GetTimestamp();
        Assert.Equal(1.0, QueueOccupancy.WindowAverage(integralEnd, end, queue.IntegralAt(later), later), 9);

        var fresh = new QueueOccupancy(time, 64);
        long t0 = time.GetTimestamp();
        long i0 = fresh.IntegralAt(t0);
        time.Advance(TimeSpan.FromMilliseconds(0.1));
        fresh.Set(1);
        time.Advance(TimeSpan.FromMilliseconds(9.9));
        long t1 = time.GetTimestamp();
        Assert.Equal(0.99, QueueOccupancy.WindowAverage(i0, t0, fresh.IntegralAt(t1), t1), 9);
        Assert.True(fresh.AverageDepth < 0.011, $"time-averaged depth {fresh.AverageDepth}");
    }

    /// <summary>An empty window is 0, and a window whose integral went backwards (a torn read against a concurrent
    /// change) is never negative.</summary>
    [Fact]
    public void WindowAverage_EmptyOrBackwardWindow_Zero()
    {
        Assert.Equal(0, QueueOccupancy.WindowAverage(100, 5, 200, 5));
        Assert.Equal(0, QueueOccupancy.WindowAverage(300, 5, 200, 10));
    }
}
