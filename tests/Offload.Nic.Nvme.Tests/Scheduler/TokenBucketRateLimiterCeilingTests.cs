using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Scheduler;

/// <summary>Work-conserving lending up to the SLA ceiling, gated by the next stage's idleness, and bucket depth.</summary>
public sealed class TokenBucketRateLimiterCeilingTests
{
    private static readonly AppId A = new("nqn.host:a", Guid.Empty);

    [Fact]
    public void TryAcquire_LendingWithCeiling_EveryHundredMsWindowWithin2PercentOfCeiling()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time) { WorkConserving = true, IdleCapacity = new Idle(true) };
        limiter.SetApplicationLimits(A, new AppRateLimits(100, 0, CeilingIops: 4000));

        // Polled every 50 µs for 2 s (a backlogged app); count each 100 ms window.
        var windows = new long[20];
        for (int tick = 0; tick < 40_000; tick++)
        {
            time.Advance(TimeSpan.FromMicroseconds(50));
            while (limiter.TryAcquire(A, 4096, out _))
            {
                windows[tick / 2000]++;
            }
        }

        Assert.All(windows, w => Assert.InRange(w, 4000 * 0.1 * 0.97, 4000 * 0.1 * 1.02));
        Assert.True(limiter.ExcessGranted > 7000, $"lent {limiter.ExcessGranted}");
    }

    [Fact]
    public void TryAcquire_WorkConservingButNextStageBusy_HeldAtRate()
    {
        var time = new SimulatedTimeProvider();
        var idle = new Idle(false);
        var limiter = new TokenBucketRateLimiter(time) { WorkConserving = true, IdleCapacity = idle };
        limiter.SetApplicationLimits(A, new AppRateLimits(1000, 0));

        long busy = Poll(time, limiter, TimeSpan.FromSeconds(1));
        idle.Value = true;
        long lending = Poll(time, limiter, TimeSpan.FromMilliseconds(10));

        Assert.InRange(busy, 1000 * 0.98, 1000 * 1.02);
        Assert.InRange(limiter.ExcessGranted, lending - 11, lending - 9); // only the 10 ms refill was in rate
        Assert.True(lending > 1000, $"with an idle next stage and no ceiling the app borrows without bound: {lending}");
    }

    [Fact]
    public void TryAcquire_CeilingRefused_RetryAfterPointsAtNextCeilingToken()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time) { WorkConserving = true, IdleCapacity = new Idle(true) };
        limiter.SetApplicationLimits(A, new AppRateLimits(100, 0, CeilingIops: 1000));
        while (limiter.TryAcquire(A, 4096, out _))
        {
        }

        Assert.False(limiter.TryAcquire(A, 4096, out var retry));
        Assert.InRange(retry, TimeSpan.FromMicroseconds(1), TimeSpan.FromMilliseconds(1));
        time.Advance(retry);
        Assert.True(limiter.TryAcquire(A, 4096, out _));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(50_000, 50)]
    public void SetApplicationLimits_Burst_SetsHowManyPassAtOnceAfterIdle(int burstMicros, int expected)
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        limiter.SetApplicationLimits(A, new AppRateLimits(1000, 0, Burst: TimeSpan.FromMicroseconds(burstMicros)));
        time.Advance(TimeSpan.FromSeconds(1));
        int passed = 0;
        while (limiter.TryAcquire(A, 4096, out _))
        {
            passed++;
        }

        Assert.Equal(expected, passed);
    }

    [Fact]
    public void TryBorrow_CeilingSpent_Refused()
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time);
        limiter.SetApplicationLimits(A, new AppRateLimits(10, 0, CeilingIops: 2000));
        Assert.True(limiter.TryBorrow(A));
        Assert.True(limiter.TryBorrow(A));
        Assert.False(limiter.TryBorrow(A));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.TryBorrow(A));
    }

    private static long Poll(SimulatedTimeProvider time, TokenBucketRateLimiter limiter, TimeSpan duration)
    {
        long count = 0;
        for (var t = TimeSpan.Zero; t < duration; t += TimeSpan.FromMilliseconds(1))
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            for (int i = 0; i < 1000 && limiter.TryAcquire(A, 4096, out _); i++)
            {
                count++;
            }
        }

        return count;
    }

    private sealed class Idle(bool value) : IIdleCapacity
    {
        public bool Value { get; set; } = value;

        public bool HasIdleCapacity => Value;
    }
}
