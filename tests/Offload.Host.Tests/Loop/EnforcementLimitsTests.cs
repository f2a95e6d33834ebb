using Microsoft.Extensions.Logging.Abstractions;
using Offload.Contracts.Messages;
using Offload.Nic.Enforcement;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Telemetry;
using Offload.Testing.Time;
using NvmeAppId = Offload.Nic.Nvme.Subsystem.AppId;

namespace Offload.Host.Tests.Loop;

/// <summary>nic-fw's enforcers apply the controller's ceilings, bucket depths and dequeue priorities.</summary>
public sealed class EnforcementLimitsTests
{
    private static readonly NvmeAppId TenantA = new("nqn.2014-08.org.nvmexpress:uuid:a", Guid.Parse("00000000-0000-0000-0000-00000000000a"));
    private static readonly NvmeAppId TenantB = new("nqn.2014-08.org.nvmexpress:uuid:b", Guid.Parse("00000000-0000-0000-0000-00000000000b"));

    [Fact]
    public void RateEnforcerApply_CeilingAndBurst_LendingStopsAtCeilingBurstSetsDepth()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time) { WorkConserving = true, IdleCapacity = new AlwaysIdle() };
        var apps = new AppDirectory();
        var wireA = apps.GetOrAdd(TenantA);
        var wireB = apps.GetOrAdd(TenantB);
        var enforcer = new RateEnforcer(limiter, apps, NullLogger<RateEnforcer>.Instance);
        var update = new RateUpdate { Epoch = 1, IsFull = true };
        update.Entries.Add(new RateEntry { Application = wireA, IopsLimit = 100, CeilingIops = 1000 });
        update.Entries.Add(new RateEntry { Application = wireB, IopsLimit = 1000, BurstMicros = 50_000 });
        enforcer.Apply(update);

        long a = 0;
        for (int ms = 0; ms < 1000; ms++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            while (limiter.TryAcquire(TenantA, 4096, out _))
            {
                a++;
            }
        }

        Assert.InRange(a, 990, 1010); // lent beyond 100/s, never beyond the 1000/s ceiling

        limiter.WorkConserving = false;
        time.Advance(TimeSpan.FromSeconds(1));
        int b = 0;
        while (limiter.TryAcquire(TenantB, 4096, out _))
        {
            b++;
        }

        Assert.Equal(50, b); // 50 ms of 1000/s, not the default 10 ms
    }

    [Fact]
    public void AllocationEnforcerApply_PriorityHints_ZeroAndOneDequeuedFirstOthersNot()
    {
        var grants = new ApplicationGrants();
        var apps = new AppDirectory();
        var wireA = apps.GetOrAdd(TenantA);
        var wireB = apps.GetOrAdd(TenantB);
        var scheduler = new DequeueScheduler(SchedulingPolicy.WeightedRoundRobin);
        grants.PriorityChanged += scheduler.SetPriority;
        var enforcer = new AllocationEnforcer(grants, apps, NullLogger<AllocationEnforcer>.Instance);

        var update = new AllocationUpdate { Epoch = 1 };
        update.Entries.Add(new AllocationEntry { Application = wireA, DequeueWeight = 100, PriorityHint = 1 });
        update.Entries.Add(new AllocationEntry { Application = wireB, DequeueWeight = 900, PriorityHint = 3 });
        enforcer.Apply(update);

        Assert.True(grants.HasLatencyPriority(TenantA));
        Assert.False(grants.HasLatencyPriority(TenantB));
        var qa = new Queue(TenantA);
        var qb = new Queue(TenantB);
        scheduler.Register(qb);
        scheduler.Register(qa);
        scheduler.Drain(2);
        Assert.Equal((2, 0), (qa.Dequeued, qb.Dequeued));

        // A later full update without A clears its grant, and with it the priority.
        var next = new AllocationUpdate { Epoch = 2 };
        next.Entries.Add(new AllocationEntry { Application = wireB, DequeueWeight = 900, PriorityHint = 0 });
        enforcer.Apply(next);
        Assert.False(grants.HasLatencyPriority(TenantA));
        Assert.True(grants.HasLatencyPriority(TenantB));
        scheduler.Drain(2);
        Assert.Equal((2, 2), (qa.Dequeued, qb.Dequeued));
    }

    private sealed class AlwaysIdle : IIdleCapacity
    {
        public bool HasIdleCapacity => true;
    }

    private sealed class Queue(NvmeAppId app) : ISubmissionQueueSource
    {
        public int Dequeued { get; private set; }

        public NvmeAppId App => app;

        public int Depth => 1;

        public int HeadSize => 4096;

        public void Dequeue() => Dequeued++;
    }
}
