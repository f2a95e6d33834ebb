namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Depth of one SQ or CQ: instantaneous value plus an exponentially time-weighted average with time constant
/// <see cref="TimeConstant"/> (weights each depth by how long it lasted, using <see cref="TimeProvider"/>).
/// Updated by the owning queue pair thread; read from anywhere (torn reads of the average are harmless).
/// </summary>
public sealed partial class QueueOccupancy(TimeProvider time, int queueSize)
{
    private long _lastChange = time.GetTimestamp();
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
    public double AverageDepth
    {
        get
        {
            var elapsed = time.GetElapsedTime(Volatile.Read(ref _lastChange)).TotalSeconds;
            var alpha = 1 - Math.Exp(-elapsed / TimeConstant.TotalSeconds);
            return _average + ((Depth - _average) * alpha);
        }
    }

    private void Advance()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_lastChange, now).TotalSeconds;
        var alpha = 1 - Math.Exp(-elapsed / TimeConstant.TotalSeconds);
        _average += (_depth - _average) * alpha;
        Volatile.Write(ref _lastChange, now);
    }
}
