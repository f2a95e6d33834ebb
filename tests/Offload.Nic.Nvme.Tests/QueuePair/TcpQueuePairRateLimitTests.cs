using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Testing.Time;

namespace Offload.Nic.Nvme.Tests.QueuePair;

/// <summary>A command held by its application's token bucket is the host's real demand: it counts as SQ occupancy
/// while it waits, so the controller sees a throttled application as backlogged rather than idle.</summary>
public sealed class TcpQueuePairRateLimitTests
{
    [Fact]
    public async Task Feed_CommandHeldByBucket_CountsAsSqOccupancyUntilAdmitted()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        await using var h = new InProcessHarness(limiter);
        var qp = h.QueuePair;
        Assert.True(qp.Feed(new PduBuilder().IcReq().Connect(TargetFixture.TenantB, 1, h.ControllerId, TargetFixture.HostB).ToArray()));
        limiter.SetApplicationRate(qp.Controller!.App, 1, 0); // burst 2: two reads pass, the third is held

        bool open = qp.Feed(new PduBuilder().Read(20, 1, 0, 4096, 512).Read(21, 1, 0, 4096, 512).Read(22, 1, 0, 4096, 512).ToArray());

        Assert.False(open, "the third read is held by the bucket");
        Assert.Equal(1, qp.SubmissionQueue.Depth);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(qp.Feed([]));
        Assert.Equal(0, qp.SubmissionQueue.Depth);
    }
}
