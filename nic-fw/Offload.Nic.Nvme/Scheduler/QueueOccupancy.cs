namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Depth of one SQ or CQ: instantaneous value plus an exponentially time-weighted average with time constant
/// <see cref="TimeConstant"/> (weights each depth by how long it lasted, using <see cref="TimeProvider"/>).
/// Updated by the owning queue pair thread; read from anywhere (torn reads of the average are harmless).
/// </summary>
public sealed partial class QueueOccupancy(TimeProvider time, int queueSize)
{
    private long _lastChange = time.GetTimestamp();

    /// <summary>Time constants per timestamp tick of this queue's clock (so a reading is one subtract and one multiply,
    /// not a TimeSpan).</summary>
    private readonly double _constantsPerTick = 1.0 / (time.TimestampFrequency * TimeConstant.TotalSeconds);
    private int _depth;
    private double _average;

    public static TimeSpan TimeConstant { get; } = TimeSpan.FromSeconds(1);

    public int QueueSize { get; set; } = queueSize;

    public int Depth => Volatile.Read(ref _depth);

    public void Set(int depth)
    {
        if (depth == _depth)
        {
            return;
        }

        Advance();
        Volatile.Write(ref _depth, depth);
        SignalLevel(depth);
    }

    public void Add(int delta) => Set(_depth + delta);

    /// <summary>The time-weighted average depth up to now.</summary>
    public double AverageDepth => AverageDepthAt(time.GetTimestamp());

    /// <summary><see cref="AverageDepth"/> as of <paramref name="timestamp"/> (of this queue's TimeProvider): a reader of
    /// thousands of queues takes one timestamp per pass rather than one per queue.</summary>
    public double AverageDepthAt(long timestamp)
    {
        double x = (timestamp - Volatile.Read(ref _lastChange)) * _constantsPerTick;
        return _average + ((Depth - _average) * Weight(x));
    }

    /// <summary>1 - e^-x, the weight of the depth held for x time constants. Below x = 1/16 (62 ms at the 1 s time
    /// constant: every change on a busy queue and every telemetry read) a 4-term Taylor series, within 1e-8 of
    /// Math.Exp's and several times cheaper; negative x (a timestamp taken just before a concurrent change) is 0.</summary>
    internal static double Weight(double x)
    {
        if (x < 0.0625)
        {
            return x <= 0 ? 0 : x * (1 - (x * (0.5 - (x * ((1.0 / 6) - (x / 24))))));
        }

        return 1 - Math.Exp(-x);
    }

    private void Advance()
    {
        var now = time.GetTimestamp();
        _average += (_depth - _average) * Weight((now - _lastChange) * _constantsPerTick);
        Volatile.Write(ref _lastChange, now);
    }
}
