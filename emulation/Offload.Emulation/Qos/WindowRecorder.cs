using System.Diagnostics;
using Offload.Emulation.LoadGen;

namespace Offload.Emulation.Qos;

/// <summary>
/// Per-window completions and latency histograms of one tenant (windows of <see cref="WindowSeconds"/> from an origin
/// set when the measurement starts). Thread-safe and allocation-free per completion (interlocked counters; latency
/// buckets on a 10% log scale from 1 µs). Completions before the origin or after the last window are not counted.
/// </summary>
public sealed class WindowRecorder : ILoadObserver
{
    /// <summary>Latency buckets: 1.1^n µs, n = 0..Buckets-1 (up to ~1.6 s).</summary>
    public const int Buckets = 150;

    private static readonly double LogStep = Math.Log(1.1);
    private readonly long[] _counts;
    private readonly long[] _histogram;
    private readonly long _windowTicks;
    private long _origin = long.MaxValue;
    private long _errors;

    public WindowRecorder(int windows, double windowSeconds = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        Windows = windows;
        WindowSeconds = windowSeconds;
        _windowTicks = (long)(windowSeconds * Stopwatch.Frequency);
        _counts = new long[windows];
        _histogram = new long[windows * Buckets];
    }

    public int Windows { get; }

    public double WindowSeconds { get; }

    /// <summary>Failed commands (non-zero status) seen.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Starts window 0 at <paramref name="timestamp"/> (Stopwatch ticks).</summary>
    public void SetOrigin(long timestamp) => Volatile.Write(ref _origin, timestamp);

    /// <summary>The window in which the tenant's load generator last returned (every command it issued had completed),
    /// or -1 if it has not stopped inside the measurement.</summary>
    public int StoppedWindow { get; private set; } = -1;

    /// <summary>Records that the load generator returned at <paramref name="timestamp"/> (Stopwatch ticks).</summary>
    public void MarkStopped(long timestamp)
    {
        var since = timestamp - Volatile.Read(ref _origin);
        if (since >= 0 && since / _windowTicks < Windows)
        {
            StoppedWindow = (int)(since / _windowTicks);
        }
    }

    public void OnCompleted(long completedAt, long latencyTicks, bool isRead, bool succeeded)
    {
        if (!succeeded)
        {
            Interlocked.Increment(ref _errors);
            return;
        }

        var since = completedAt - Volatile.Read(ref _origin);
        if (since < 0)
        {
            return;
        }

        var window = since / _windowTicks;
        if (window >= Windows)
        {
            return;
        }

        Interlocked.Increment(ref _counts[window]);
        Interlocked.Increment(ref _histogram[(window * Buckets) + Bucket(latencyTicks)]);
    }

    /// <summary>Completions in window <paramref name="window"/>.</summary>
    public long Count(int window) => Interlocked.Read(ref _counts[window]);

    /// <summary>IOPS in window <paramref name="window"/>.</summary>
    public double Iops(int window) => Count(window) / WindowSeconds;

    /// <summary>Mean IOPS over windows [from, to).</summary>
    public double MeanIops(int from, int to)
    {
        long n = 0;
        for (var w = from; w < to; w++)
        {
            n += Count(w);
        }

        return to > from ? n / ((to - from) * WindowSeconds) : 0;
    }

    /// <summary>Latency percentile in µs over windows [from, to) (the bucket's upper bound); NaN when none completed.</summary>
    public double PercentileMicros(int from, int to, double q)
    {
        long total = 0;
        for (var w = from; w < to; w++)
        {
            total += Count(w);
        }

        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var b = 0; b < Buckets; b++)
        {
            for (var w = from; w < to; w++)
            {
                seen += Interlocked.Read(ref _histogram[(w * Buckets) + b]);
            }

            if (seen >= rank)
            {
                return Math.Pow(1.1, b + 1);
            }
        }

        return Math.Pow(1.1, Buckets);
    }

    private static int Bucket(long ticks)
    {
        var micros = ticks * 1e6 / Stopwatch.Frequency;
        if (micros <= 1)
        {
            return 0;
        }

        var b = (int)(Math.Log(micros) / LogStep);
        return Math.Min(b, Buckets - 1);
    }
}
