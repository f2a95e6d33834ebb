using System.Diagnostics;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Host.Tests.Loop;

/// <summary>Wraps a real <see cref="TokenBucketRateLimiter"/> and records when the last rate was set.</summary>
internal sealed class RecordingRateLimiter(TokenBucketRateLimiter inner) : IRateLimiter
{
    private long _sets;
    private long _lastSetTimestamp;

    public long Sets => Interlocked.Read(ref _sets);

    public long LastSetTimestamp => Interlocked.Read(ref _lastSetTimestamp);

    public long LastIops { get; private set; }

    public bool TryAcquire(AppId app, int size, out TimeSpan retryAfter) => inner.TryAcquire(app, size, out retryAfter);

    public void SetApplicationRate(AppId app, long iops, long bytesPerSecond)
    {
        inner.SetApplicationRate(app, iops, bytesPerSecond);
        LastIops = iops;
        Interlocked.Exchange(ref _lastSetTimestamp, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _sets);
    }

    public void SetApplicationLimits(AppId app, AppRateLimits limits)
    {
        inner.SetApplicationLimits(app, limits);
        LastIops = limits.Iops;
        Interlocked.Exchange(ref _lastSetTimestamp, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _sets);
    }

    public void ClearApplicationRate(AppId app) => inner.ClearApplicationRate(app);
}
