namespace Offload.Nic.Datapath;

/// <summary>
/// Token bucket over <see cref="TimeProvider"/> timestamps. Not thread-safe: owned by one poll thread.
/// </summary>
public struct TokenBucket
{
    private double _tokens;
    private double _tokensPerTick;
    private double _burst;
    private long _last;

    /// <summary>Creates a full bucket.</summary>
    /// <param name="ratePerSecond">Tokens added per second.</param>
    /// <param name="burst">Bucket depth.</param>
    /// <param name="timestampFrequency"><see cref="TimeProvider.TimestampFrequency"/>.</param>
    /// <param name="now">Current timestamp.</param>
    public TokenBucket(double ratePerSecond, double burst, long timestampFrequency, long now)
    {
        _tokensPerTick = ratePerSecond / timestampFrequency;
        _burst = burst;
        _tokens = burst;
        _last = now;
    }

    /// <summary>Takes <paramref name="cost"/> tokens if available.</summary>
    public bool TryTake(double cost, long now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_burst, _tokens + ((now - _last) * _tokensPerTick));
            _last = now;
        }

        if (_tokens >= cost)
        {
            _tokens -= cost;
            return true;
        }

        return false;
    }

    /// <summary>Tokens currently available.</summary>
    public readonly double Available => _tokens;
}
