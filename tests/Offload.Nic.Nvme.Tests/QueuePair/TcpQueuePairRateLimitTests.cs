using NSubstitute;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Testing.Time;

namespace Offload.Nic.Nvme.Tests.QueuePair;

public sealed class TcpQueuePairRateLimitTests
{
    [Fact]
    public async Task Feed_RateLimiterDenies_CommandWaitsThenRunsWhenAdmitted()
    {
        var limiter = Substitute.For<IRateLimiter>();
        var allow = false;
        limiter.TryAcquire(Arg.Any<AppId>(), Arg.Any<int>(), out Arg.Any<TimeSpan>())
            .Returns(ci =>
            {
                ci[2] = TimeSpan.FromMilliseconds(5);
                return allow;
            });
        await using var h = new InProcessHarness(limiter);
        var qp = h.QueuePair;
        using var output = new MemoryStream();
        qp.Output = output;
        Assert.True(qp.Feed(new PduBuilder().IcReq().Connect(TargetFixture.TenantB, 1, h.ControllerId, TargetFixture.HostB).ToArray()));
        var before = output.Length;

        // Read of 8 KiB: the limiter is asked for this app and size, denies, and nothing is executed or sent.
        Assert.False(qp.Feed(new PduBuilder().Read(20, 1, 0, 8192, 4096).ToArray()));
        Assert.Equal(before, output.Length);
        limiter.Received().TryAcquire(new AppId(TargetFixture.HostB, new Guid("11111111-2222-3333-4444-555555555555")), 8192, out Arg.Any<TimeSpan>());

        // Admitted later: the same buffered command runs (C2HData + CapsuleResp).
        allow = true;
        Assert.True(qp.Feed([]));
        var pdus = TcpQueuePairTests.Split(output.ToArray()[(int)before..]);
        Assert.Equal([(byte)PduType.C2HData, (byte)PduType.CapsuleResponse], pdus.Select(p => p[0]));
        qp.Output = null;
        qp.ResetSession();
    }

    /// <summary>A command held by its application's token bucket is the host's real demand: it counts as SQ occupancy
    /// while it waits, so the controller sees a throttled application as backlogged rather than idle.</summary>
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
