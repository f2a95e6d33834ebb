using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Tests.Subsystem;

public sealed class ApplicationGrantsTests
{
    private static readonly AppId A = new("nqn.a", Guid.Parse("00000000-0000-0000-0000-00000000000a"));
    private static readonly AppId B = new("nqn.b", Guid.Parse("00000000-0000-0000-0000-00000000000b"));

    [Fact]
    public void IoQueueLimit_GrantBelowAndAboveConfiguredMax_Capped()
    {
        var grants = new ApplicationGrants();
        grants.Set(A, 3, 10);
        grants.Set(B, 40, 10);

        Assert.Equal(3, grants.IoQueueLimit(A, 16));
        Assert.Equal(16, grants.IoQueueLimit(B, 16));
        Assert.Equal(16, grants.IoQueueLimit(new AppId("nqn.c", Guid.Empty), 16));
    }

    [Fact]
    public void Clear_GrantRemoved_BackToConfiguredDefaults()
    {
        var grants = new ApplicationGrants();
        grants.Set(A, 2, 500);
        Assert.True(grants.TryGetDequeueWeight(A, out int weight));
        Assert.Equal(ApplicationGrants.MaxDequeueWeight, weight);

        grants.Clear(A);

        Assert.False(grants.TryGetDequeueWeight(A, out _));
        Assert.Equal(8, grants.IoQueueLimit(A, 8));
        Assert.Equal(0, grants.IoQueueCountOf(A));
    }

    [Fact]
    public void ApplyWeights_GrantedWeights_SchedulerDrainsInProportion()
    {
        var grants = new ApplicationGrants();
        grants.Set(A, 0, 1);
        grants.Set(B, 0, 3);
        var scheduler = new DequeueScheduler(SchedulingPolicy.WeightedRoundRobin);
        var a = new CountingQueue(A);
        var b = new CountingQueue(B);
        scheduler.Register(a);
        scheduler.Register(b);

        grants.ApplyWeights(scheduler);
        scheduler.Drain(400);

        Assert.Equal(100, a.Dispatched);
        Assert.Equal(300, b.Dispatched);
    }

    private sealed class CountingQueue(AppId app) : ISubmissionQueueSource
    {
        public AppId App => app;

        public int Depth => 1_000;

        public int HeadSize => 4096;

        public int Dispatched { get; private set; }

        public void Dequeue() => Dispatched++;
    }
}
