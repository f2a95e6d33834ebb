using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Per-application token buckets in IOPS and bytes/s, changeable at runtime (floor 1 IOPS; SPDK's floor is 10k).
/// Apps without a configured rate are unlimited. Shared by all queue pairs of an app, so the limit holds across them.
/// An app may also have a ceiling (its SLA limit): a short bucket every admitted command passes, in-rate or
/// borrowed, so the ceiling holds within <see cref="CeilingBurstSeconds"/> of rate over any window.
/// </summary>
public sealed class TokenBucketRateLimiter(TimeProvider time) : IRateLimiter
{
    /// <summary>Bucket depth: this many seconds' worth of rate (at least one command / one max I/O).</summary>
    public const double BurstSeconds = 0.01;

    /// <summary>Ceiling bucket depth: 1 ms of the ceiling, so any 100 ms window stays within 1% of it (for ceilings
    /// of at least 1000 IOPS; below that the one-command floor dominates).</summary>
    public const double CeilingBurstSeconds = 0.001;

    private readonly Dictionary<AppId, AppBuckets> _apps = [];
    private readonly Lock _lock = new();
    private volatile bool _any;
    private TokenBucket? _capacity;

    /// <summary>Work-conserving mode: an application over its own rate may still dispatch while the next stage has
    /// idle capacity (<see cref="IdleCapacity"/>, or else the <see cref="SetCapacity"/> bucket), never beyond its
    /// ceiling.</summary>
    public bool WorkConserving { get; set; }

    /// <summary>The next stage's idleness signal for work-conserving lending (null: use the capacity bucket).</summary>
    public IIdleCapacity? IdleCapacity { get; set; }

    /// <summary>Dispatches granted beyond an application's own rate (work-conserving mode).</summary>
    public long ExcessGranted { get; private set; }

    /// <summary>Sets the target's total dispatch capacity in IOPS (0 = none: no work-conserving excess).</summary>
    public void SetCapacity(long iops)
    {
        lock (_lock)
        {
            _capacity = iops <= 0 ? null : Configure(_capacity, iops, BurstSeconds);
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

            if (buckets.Ceiling is { } ceiling && !ceiling.TryTake(1, out retryAfter))
            {
                return false;
            }

            if (TakeRate(buckets, size, out retryAfter))
            {
                _capacity?.Consume(1);
                return true;
            }

            if (WorkConserving && HasIdleCapacity())
            {
                ExcessGranted++;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            buckets.Ceiling?.Give(1);
            return false;
        }
    }

    public void SetApplicationRate(AppId app, long iops, long bytesPerSecond) =>
        SetApplicationLimits(app, new AppRateLimits(iops, bytesPerSecond));

    public void SetApplicationLimits(AppId app, AppRateLimits limits)
    {
        lock (_lock)
        {
            if (!_apps.TryGetValue(app, out var buckets))
            {
                buckets = new AppBuckets();
                _apps.Add(app, buckets);
            }

            double depth = limits.Burst > TimeSpan.Zero ? limits.Burst.TotalSeconds : BurstSeconds;
            buckets.Iops = Configure(buckets.Iops, limits.Iops <= 0 ? 0 : Math.Max(limits.Iops, 1), depth);
            buckets.Bytes = Configure(buckets.Bytes, limits.BytesPerSecond, depth);
            buckets.Ceiling = Configure(buckets.Ceiling, limits.CeilingIops, CeilingBurstSeconds, minimumBurst: 1);
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

    public bool TryBorrow(AppId app)
    {
        if (!_any)
        {
            return true;
        }

        lock (_lock)
        {
            if (!_apps.TryGetValue(app, out var buckets) || buckets.Ceiling is not { } ceiling)
            {
                return true;
            }

            if (!ceiling.TryTake(1, out _))
            {
                return false;
            }

            ExcessGranted++;
            return true;
        }
    }

    private static bool TakeRate(AppBuckets buckets, int size, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (buckets.Iops is { } iops && !iops.TryTake(1, out retryAfter))
        {
            return false;
        }

        if (buckets.Bytes is { } bytes && !bytes.TryTake(size, out retryAfter))
        {
            buckets.Iops?.Give(1);
            return false;
        }

        return true;
    }

    private bool HasIdleCapacity() =>
        IdleCapacity is { } idle ? idle.HasIdleCapacity : _capacity is { } capacity && capacity.TryTake(1, out _);

    private TokenBucket? Configure(TokenBucket? bucket, long rate, double depthSeconds, double minimumBurst = 2)
    {
        if (rate <= 0)
        {
            return null;
        }

        // At least 2 for rate buckets so a token that ripens between two polls is not lost to the cap.
        var burst = Math.Max(minimumBurst, rate * depthSeconds);
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

        public TokenBucket? Ceiling { get; set; }
    }
}
