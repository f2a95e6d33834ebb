namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// A token bucket refilled continuously from <see cref="TimeProvider"/> timestamps. Rate is tokens per second;
/// burst is the bucket depth. Not thread-safe: callers serialize.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(TimeProvider time, double ratePerSecond, double burst)
    {
        _time = time;
        _last = time.GetTimestamp();
        SetRate(ratePerSecond, burst);
        _tokens = Burst;
    }

    public double RatePerSecond { get; private set; }

    public double Burst { get; private set; }

    public void SetRate(double ratePerSecond, double burst)
    {
        Refill();
        RatePerSecond = Math.Max(ratePerSecond, 1e-9);
        Burst = Math.Max(burst, 1);
        _tokens = Math.Min(_tokens, Burst);
    }

    public double Available
    {
        get
        {
            Refill();
            return _tokens;
        }
    }

    /// <summary>Takes <paramref name="count"/> tokens if available. Requests larger than the burst are allowed once
    /// the bucket is full (they drive it negative), so a big I/O is never starved.</summary>
    public bool TryTake(double count, out TimeSpan retryAfter)
    {
        Refill();
        if (_tokens >= count || (_tokens >= Burst && count > Burst))
        {
            _tokens -= count;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        var missing = Math.Min(count, Burst) - _tokens;
        retryAfter = TimeSpan.FromSeconds(missing / RatePerSecond);
        if (retryAfter < TimeSpan.FromTicks(1))
        {
            retryAfter = TimeSpan.FromTicks(1);
        }

        return false;
    }

    /// <summary>Takes tokens unconditionally (the bucket may go negative, down to -Burst): capacity already used.</summary>
    public void Consume(double count)
    {
        Refill();
        _tokens = Math.Max(_tokens - count, -Burst);
    }

    /// <summary>Returns tokens taken by a caller that then could not proceed.</summary>
    public void Give(double count) => _tokens = Math.Min(_tokens + count, Burst);

    private void Refill()
    {
        var now = _time.GetTimestamp();

        // In timestamp units, not through GetElapsedTime: a TimeSpan truncates to 100 ns, so a bucket polled more
        // often than that would lose the fraction on every call (and never refill at all when polled every < 100 ns).
        var elapsed = (now - _last) / (double)_time.TimestampFrequency;
        _last = now;
        if (elapsed > 0)
        {
            _tokens = Math.Min(Burst, _tokens + (elapsed * RatePerSecond));
        }
    }
}
