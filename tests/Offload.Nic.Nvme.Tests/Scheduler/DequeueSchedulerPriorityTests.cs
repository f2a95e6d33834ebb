using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Scheduler;

/// <summary>Latency-class priority, the throughput budget that reserves slots for it, and ceiling-bounded lending.</summary>
public sealed class DequeueSchedulerPriorityTests
{
    private static readonly AppId A = new("nqn.host:a", Guid.Empty);
    private static readonly AppId B = new("nqn.host:b", Guid.Empty);

    [Fact]
    public void Drain_PriorityApp_ServedBeforeEarlierRegisteredBackloggedApp()
    {
        var scheduler = new DequeueScheduler(SchedulingPolicy.WeightedRoundRobin);
        var bulk = new Queue(A) { Backlog = int.MaxValue };
        var latency = new Queue(B) { Backlog = 3 };
        scheduler.Register(bulk);
        scheduler.Register(latency);
        scheduler.SetWeight(A, 255);
        scheduler.SetPriority(B, true);

        Assert.True(scheduler.HasPriorityQueues);
        Assert.Equal(3, scheduler.Drain(3));
        Assert.Equal((0L, 3L), (bulk.Dequeued, latency.Dequeued));

        scheduler.SetPriority(B, false);
        latency.Backlog = 3;
        scheduler.Drain(3);
        Assert.True(bulk.Dequeued > 0, "without priority the bulk SQ's weight takes the turn");
        Assert.False(scheduler.HasPriorityQueues);
    }

    [Fact]
    public void Drain_PriorityAppUnderTokenBucket_BoundedByItsRateOthersNotStarved()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        limiter.SetApplicationRate(B, 1000, 0);
        var scheduler = new DequeueScheduler(SchedulingPolicy.TokenBucket, limiter);
        var bulk = new Queue(A) { Backlog = int.MaxValue };
        var latency = new Queue(B) { Backlog = int.MaxValue };
        scheduler.Register(bulk);
        scheduler.Register(latency);
        scheduler.SetPriority(B, true);
        for (int ms = 0; ms < 1000; ms++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            scheduler.Drain(5);
        }

        Assert.InRange(latency.Dequeued, 980, 1020);
        Assert.InRange(bulk.Dequeued, 3980, 4020);
    }

    [Fact]
    public void Drain_ThroughputBudget_RestOfBudgetOnlyForPriority()
    {
        var scheduler = new DequeueScheduler(SchedulingPolicy.RoundRobin);
        var bulk = new Queue(A) { Backlog = int.MaxValue };
        var latency = new Queue(B) { Backlog = 0 };
        scheduler.Register(bulk);
        scheduler.Register(latency);
        scheduler.SetPriority(B, true);

        Assert.Equal(2, scheduler.Drain(4, throughputBudget: 2));
        latency.Backlog = 5;
        Assert.Equal(4, scheduler.Drain(4, throughputBudget: 0));
        Assert.Equal((2L, 4L), (bulk.Dequeued, latency.Dequeued));
    }

    [Fact]
    public void Drain_WorkConservingPass_StopsAtTheAppsCeiling()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        limiter.SetApplicationLimits(A, new AppRateLimits(100, 0, CeilingIops: 1000));
        var scheduler = new DequeueScheduler(SchedulingPolicy.TokenBucket, limiter, workConserving: true);
        var q = new Queue(A) { Backlog = int.MaxValue };
        scheduler.Register(q);
        for (int ms = 0; ms < 1000; ms++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            scheduler.Drain(5);
        }

        // Without the ceiling the pass would take the whole 5000/s.
        Assert.InRange(q.Dequeued, 980, 1020);
        Assert.True(scheduler.ExcessDispatched > 800);
    }

    private sealed class Queue(AppId app) : ISubmissionQueueSource
    {
        public long Dequeued { get; private set; }

        public int Backlog { get; set; }

        public AppId App => app;

        public int Depth => Backlog > 0 ? 1 : 0;

        public int HeadSize => 4096;

        public void Dequeue()
        {
            Dequeued++;
            if (Backlog != int.MaxValue)
            {
                Backlog--;
            }
        }
    }
}
