using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Scheduler;

/// <summary>The limiter the live connections consult, driven like the receive loops: each poll dispatches until denied.</summary>
public sealed class TokenBucketRateLimiterTests
{
    private static readonly AppId A = new("nqn.host:a", Guid.Empty);
    private static readonly AppId B = new("nqn.host:b", Guid.Empty);

    [Fact]
    public void TryAcquire_NotWorkConserving_AppHeldToItsRate()
    {
        var (time, limiter) = Create(workConserving: false);
        var counts = Run(time, limiter, TimeSpan.FromSeconds(10), A);
        Assert.InRange(counts[0], 1000 * 0.98, 1000 * 1.02);
    }

    [Fact]
    public void TryAcquire_WorkConservingOthersIdle_AppGetsIdleCapacity()
    {
        var (time, limiter) = Create(workConserving: true);
        var counts = Run(time, limiter, TimeSpan.FromSeconds(10), A);
        Assert.InRange(counts[0], 50_000 * 0.97, 50_000 * 1.03);
        Assert.True(limiter.ExcessGranted > 0);
    }

    [Fact]
    public void TryAcquire_WorkConservingBothBacklogged_InRateSharesKeptExcessShared()
    {
        var (time, limiter) = Create(workConserving: true);
        var counts = Run(time, limiter, TimeSpan.FromSeconds(10), A, B);
        Assert.True(counts[0] >= 1000 * 0.98, $"A got {counts[0]}");
        Assert.True(counts[1] >= 3000 * 0.98, $"B got {counts[1]}");
        Assert.InRange(counts[0] + counts[1], 50_000 * 0.97, 50_000 * 1.03);
    }

    private static (SimulatedTimeProvider, TokenBucketRateLimiter) Create(bool workConserving)
    {
        var time = new SimulatedTimeProvider();
        var limiter = new TokenBucketRateLimiter(time) { WorkConserving = workConserving };
        limiter.SetCapacity(5000);
        limiter.SetApplicationRate(A, 100, 0);
        limiter.SetApplicationRate(B, 300, 0);
        return (time, limiter);
    }

    private static long[] Run(SimulatedTimeProvider time, TokenBucketRateLimiter limiter, TimeSpan duration, params AppId[] apps)
    {
        var counts = new long[apps.Length];
        for (var t = TimeSpan.Zero; t < duration; t += TimeSpan.FromMilliseconds(1))
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
            var progress = true;
            while (progress)
            {
                progress = false;
                for (var i = 0; i < apps.Length; i++)
                {
                    if (limiter.TryAcquire(apps[i], 4096, out _))
                    {
                        counts[i]++;
                        progress = true;
                    }
                }
            }
        }

        return counts;
    }
}
