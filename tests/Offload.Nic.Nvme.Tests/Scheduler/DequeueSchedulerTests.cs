using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Scheduler;

public sealed class DequeueSchedulerTests
{
    private static readonly AppId A = new("nqn.host:a", Guid.Empty);
    private static readonly AppId B = new("nqn.host:b", Guid.Empty);
    private static readonly AppId C = new("nqn.host:c", Guid.Empty);

    [Theory]
    [InlineData(1000, 0)]
    [InlineData(37, 0)]
    [InlineData(0, 4L * 1024 * 1024)]
    public void Drain_TokenBucket_HoldsRateWithin2Percent(long iops, long bytesPerSecond)
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        limiter.SetApplicationRate(A, iops, bytesPerSecond);
        var q = new SimulatedQueue(A, 4096);
        var scheduler = new DequeueScheduler(SchedulingPolicy.TokenBucket, limiter);
        scheduler.Register(q);
        RunTicks(time, scheduler, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1), budget: 1000);
        var expected = iops > 0 ? iops * 10.0 : bytesPerSecond * 10.0 / 4096;
        Assert.InRange(q.Dequeued, expected * 0.98, expected * 1.02);
    }

    [Fact]
    public void SetApplicationRate_ChangedAtRuntime_NewRateHolds()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        limiter.SetApplicationRate(A, 5000, 0);
        var q = new SimulatedQueue(A, 4096);
        var scheduler = new DequeueScheduler(SchedulingPolicy.TokenBucket, limiter);
        scheduler.Register(q);
        RunTicks(time, scheduler, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1), 1000);
        var before = q.Dequeued;
        limiter.SetApplicationRate(A, 200, 0);
        RunTicks(time, scheduler, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1), 1000);
        Assert.InRange(q.Dequeued - before, 2000 * 0.98, 2000 * 1.02 + 50);
    }

    [Fact]
    public void SetApplicationRate_BelowOneIops_FloorIsOne()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        limiter.SetApplicationRate(A, 1, 0);
        var q = new SimulatedQueue(A, 512);
        var scheduler = new DequeueScheduler(SchedulingPolicy.TokenBucket, limiter);
        scheduler.Register(q);
        RunTicks(time, scheduler, TimeSpan.FromSeconds(100), TimeSpan.FromMilliseconds(10), 100);
        Assert.InRange(q.Dequeued, 99, 102);
    }

    [Fact]
    public void Drain_WeightedRoundRobin_Shares1To2To4Within5Percent()
    {
        var scheduler = new DequeueScheduler(SchedulingPolicy.WeightedRoundRobin);
        scheduler.SetWeight(A, 1);
        scheduler.SetWeight(B, 2);
        scheduler.SetWeight(C, 4);
        var qa = new SimulatedQueue(A, 4096);
        var qb = new SimulatedQueue(B, 4096);
        var qc = new SimulatedQueue(C, 4096);
        scheduler.Register(qa);
        scheduler.Register(qb);
        scheduler.Register(qc);
        for (var i = 0; i < 1000; i++)
        {
            scheduler.Drain(13); // budget not a multiple of the round: shares must hold anyway
        }

        double total = qa.Dequeued + qb.Dequeued + qc.Dequeued;
        Assert.Equal(13000, total);
        Assert.InRange(qa.Dequeued / total, 1 / 7.0 * 0.95, 1 / 7.0 * 1.05);
        Assert.InRange(qb.Dequeued / total, 2 / 7.0 * 0.95, 2 / 7.0 * 1.05);
        Assert.InRange(qc.Dequeued / total, 4 / 7.0 * 0.95, 4 / 7.0 * 1.05);
    }

    /// <summary>Weighted round robin interleaves each SQ's weight over the round: two SQs of weight 200 alternate
    /// command by command (they used to take 200 in a row each, 40 ms at 5,000 IOPS), and a light SQ next to a heavy
    /// one is served in the round's first sweep, not after the heavy one's whole turn.</summary>
    [Fact]
    public void Drain_WeightedRoundRobin_InterleavesTheWeightsOverTheRound()
    {
        var scheduler = new DequeueScheduler(SchedulingPolicy.WeightedRoundRobin);
        scheduler.SetWeight(A, 200);
        scheduler.SetWeight(B, 200);
        scheduler.SetWeight(C, 1);
        var order = new List<AppId>();
        var qa = new SimulatedQueue(A, 4096) { Served = order };
        var qb = new SimulatedQueue(B, 4096) { Served = order };
        var qc = new SimulatedQueue(C, 4096) { Served = order };
        scheduler.Register(qa);
        scheduler.Register(qb);
        scheduler.Register(qc);

        scheduler.Drain(401);

        Assert.Equal([A, B, C, A, B, A, B], order.Take(7));
        int longestRun = 1, run = 1;
        for (int i = 1; i < order.Count; i++)
        {
            run = order[i] == order[i - 1] ? run + 1 : 1;
            longestRun = Math.Max(longestRun, run);
        }

        Assert.Equal(1, longestRun);
        Assert.Equal((200, 200, 1), (qa.Dequeued, qb.Dequeued, qc.Dequeued));
    }

    [Fact]
    public void Drain_RoundRobin_EqualShares()
    {
        var scheduler = new DequeueScheduler(SchedulingPolicy.RoundRobin);
        var qa = new SimulatedQueue(A, 4096);
        var qb = new SimulatedQueue(B, 4096);
        scheduler.Register(qa);
        scheduler.Register(qb);
        scheduler.Drain(1000);
        Assert.Equal(500, qa.Dequeued);
        Assert.Equal(500, qb.Dequeued);
    }

    [Fact]
    public void Drain_WorkConserving_IdleCapacityGoesToBackloggedApp()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        limiter.SetApplicationRate(A, 1000, 0);
        limiter.SetApplicationRate(B, 1000, 0);
        var qa = new SimulatedQueue(A, 4096);
        var qb = new SimulatedQueue(B, 4096) { Backlog = 0 }; // B idle
        var strict = new DequeueScheduler(SchedulingPolicy.TokenBucket, limiter, workConserving: false);
        strict.Register(qa);
        strict.Register(qb);
        RunTicks(time, strict, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1), budget: 5);
        Assert.InRange(qa.Dequeued, 980, 1020);

        qa.Dequeued = 0;
        var conserving = new DequeueScheduler(SchedulingPolicy.TokenBucket, limiter, workConserving: true);
        conserving.Register(qa);
        conserving.Register(qb);
        RunTicks(time, conserving, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1), budget: 5);
        Assert.Equal(5000, qa.Dequeued); // the whole capacity: 5 per ms

        // When B becomes backlogged, it still gets its in-rate share first.
        qa.Dequeued = 0;
        qb.Backlog = int.MaxValue;
        RunTicks(time, conserving, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1), budget: 5);
        Assert.InRange(qb.Dequeued, 1000, 5000);
        Assert.InRange(qa.Dequeued + qb.Dequeued, 4999, 5000);
    }

    private static void RunTicks(SimulatedTimeProvider time, DequeueScheduler scheduler, TimeSpan duration, TimeSpan tick, int budget)
    {
        for (var t = TimeSpan.Zero; t < duration; t += tick)
        {
            time.Advance(tick);
            scheduler.Drain(budget);
        }
    }

    private sealed class SimulatedQueue(AppId app, int size) : ISubmissionQueueSource
    {
        public long Dequeued { get; set; }

        public int Backlog { get; set; } = int.MaxValue;

        public AppId App => app;

        public int Depth => Backlog > 0 ? 1 : 0;

        public int HeadSize => size;

        public List<AppId>? Served { get; init; }

        public void Dequeue()
        {
            Dequeued++;
            Served?.Add(app);
            if (Backlog != int.MaxValue)
            {
                Backlog--;
            }
        }
    }
}
