namespace Offload.Nic.Telemetry;

/// <summary>
/// A token bucket of CPU time for threshold reports: it fills at <c>share</c> of a core (seconds of CPU per second of
/// wall time) up to <c>burst</c>, and each report's pass (sweep of the changed lines, fill, encode, write) spends
/// what it took. While it holds credit a crossing is reported at once; once it is overdrawn, signalled passes wait
/// until it is paid back (the lines that signal meanwhile are read by that next pass, so no crossing is lost; the
/// periodic report is never delayed). Isolated crossings, and bursts of them, keep their immediate reaction; queues
/// whose levels flap without pause (at 1,000 connections, thousands of reports a second, each a full message) cost
/// at most the share. Timestamps are <see cref="System.Diagnostics.Stopwatch"/> ticks. Not thread-safe (the reporter thread).
/// </summary>
internal struct ReportBudget
{
    private readonly double _share;
    private readonly long _burst;
    private long _credit;
    private long _at;

    /// <param name="share">Fraction of one core the reports may use over time (0 &lt; share ≤ 1).</param>
    /// <param name="burst">CPU time the bucket holds: reports up to this much back to back are never delayed.</param>
    /// <param name="now">The start (the bucket starts full).</param>
    public ReportBudget(double share, TimeSpan burst, long now)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1);
        _share = share;
        _burst = (long)(burst.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        _credit = _burst;
        _at = now;
    }

    /// <summary>A report's pass took <paramref name="spent"/> ticks, ending at <paramref name="now"/>.</summary>
    public void Spend(long spent, long now)
    {
        Refill(now);
        _credit -= spent;
    }

    /// <summary>How long a signalled report must wait from <paramref name="now"/> (zero while the bucket holds credit).</summary>
    public TimeSpan Delay(long now)
    {
        Refill(now);
        return _credit >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_credit / _share / System.Diagnostics.Stopwatch.Frequency);
    }

    private void Refill(long now)
    {
        if (now > _at)
        {
            _credit = Math.Min(_burst, _credit + (long)((now - _at) * _share));
            _at = now;
        }
    }
}
