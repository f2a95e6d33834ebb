using Offload.Nic.Nvme.Scheduler;
using Offload.Simulation.Engine;

namespace Offload.Simulation.Tests.Engine;

public class VirtualClockTests
{
    [Fact]
    public void GetTimestamp_VirtualNanos_DrivesNicFwTokenBucket()
    {
        var clock = new VirtualClock();
        var bucket = new TokenBucket(clock, 10_000, 100);
        Assert.True(bucket.TryTake(100, out _));
        clock.Nanos = 1_000_000; // 1 ms of virtual time = 10 tokens
        Assert.Equal(10, bucket.Available, 6);
    }

    [Fact]
    public void TokenBucket_PolledEvery50ns_StillRefillsAtItsRate()
    {
        // Regression: the refill went through a 100 ns TimeSpan and lost everything when polled more often.
        var clock = new VirtualClock();
        var bucket = new TokenBucket(clock, 10_000, 100);
        Assert.True(bucket.TryTake(100, out _));
        for (int k = 0; k < 20_000; k++)
        {
            clock.Nanos += 50;
            _ = bucket.Available;
        }

        Assert.Equal(10, bucket.Available, 6);
    }
}
