using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Per-application token buckets in IOPS and bytes/s, changeable at runtime (floor 1 IOPS; SPDK's floor is 10k).
/// Apps without a configured rate are unlimited. Shared by all queue pairs of an app, so the limit holds across them.
/// </summary>
public sealed class TokenBucketRateLimiter(TimeProvider time) : IRateLimiter
{
    /// <summary>Bucket depth: this many seconds' worth of rate (at least one command / one max I/O).</summary>
    public const double BurstSeconds = 0.01;

    private readonly Dictionary<AppId, AppBuckets> _apps = [];
    private readonly Lock _lock = new();
    private volatile bool _any;
    private TokenBucket? _capacity;

    /// <summary>Work-conserving mode: an application over its own rate may still dispatch while the target's idle
    /// capacity (<see cref="SetCapacity"/>) has tokens left after every in-rate dispatch took its share.</summary>
    public bool WorkConserving { get; set; }

    /// <summary>Dispatches granted beyond an application's own rate (work-conserving mode).</summary>
    public long ExcessGranted { get; private set; }

    /// <summary>Sets the target's total dispatch capacity in IOPS (0 = none: no work-conserving excess).</summary>
    public void SetCapacity(long iops)
    {
        lock (_lock)
        {
            _capacity = iops <= 0 ? null : Configure(_capacity, iops);
            _any = _apps.Count > 0 || _capacity is not null;
        }
    }

    public bool TryAcquire(AppId app, int size, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_any)
        {
            return true;
        }

        lock (_lock)
        {
            if (!_apps.TryGetValue(app, out var buckets))
            {
                _capacity?.Consume(1);
                return true;
            }

            var admitted = true;
            if (buckets.Iops is { } iops && !iops.TryTake(1, out retryAfter))
            {
                admitted = false;
            }
            else if (buckets.Bytes is { } bytes && !bytes.TryTake(size, out retryAfter))
            {
                buckets.Iops?.Give(1);
                admitted = false;
            }

            if (admitted)
            {
                _capacity?.Consume(1);
                return true;
            }

            if (WorkConserving && _capacity is { } capacity && capacity.TryTake(1, out var capacityRetry))
            {
                ExcessGranted++;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            return false;
        }
    }

    public void SetApplicationRate(AppId app, long iops, long bytesPerSecond)
    {
        lock (_lock)
        {
            if (!_apps.TryGetValue(app, out var buckets))
            {
                buckets = new AppBuckets();
                _apps.Add(app, buckets);
            }

            buckets.Iops = Configure(buckets.Iops, iops <= 0 ? 0 : Math.Max(iops, 1));
            buckets.Bytes = Configure(buckets.Bytes, bytesPerSecond);
            _any = true;
        }
    }

    public void ClearApplicationRate(AppId app)
    {
        lock (_lock)
        {
            _apps.Remove(app);
            _any = _apps.Count > 0 || _capacity is not null;
        }
    }

    private TokenBucket? Configure(TokenBucket? bucket, long rate)
    {
        if (rate <= 0)
        {
            return null;
        }

        // At least 2 so a token that ripens between two polls is not lost to the cap.
        var burst = Math.Max(2, rate * BurstSeconds);
        if (bucket is null)
        {
            return new TokenBucket(time, rate, burst);
        }

        bucket.SetRate(rate, burst);
        return bucket;
    }

    private sealed class AppBuckets
    {
        public TokenBucket? Iops { get; set; }

        public TokenBucket? Bytes { get; set; }
    }
}
