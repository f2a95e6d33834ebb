using System.Diagnostics;

namespace Offload.Emulation.LoadGen;

/// <summary>
/// The issue schedule shared by every worker of a run: ticket n is due one interval after ticket n-1. The rate may
/// change at any time from any thread (<see cref="SetRate"/>); a change restarts the schedule from now and bumps
/// <see cref="Epoch"/>, so a worker asleep on an old ticket takes a new one. Lock-free.
/// </summary>
internal sealed class LoadPacer
{
    private long _ticksPerIo;
    private long _nextDue;
    private long _epoch;

    public LoadPacer(double iops) => SetRate(iops);

    /// <summary>0 = unpaced (as fast as the queue depth allows).</summary>
    public long TicksPerIo => Volatile.Read(ref _ticksPerIo);

    public long Epoch => Volatile.Read(ref _epoch);

    public double Rate
    {
        get
        {
            var ticks = TicksPerIo;
            return ticks == 0 ? 0 : (double)Stopwatch.Frequency / ticks;
        }
    }

    public void SetRate(double iops)
    {
        if (double.IsNaN(iops) || iops < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(iops), iops, "The target rate is in IOPS, 0 (unpaced) or more.");
        }

        var ticks = iops == 0 ? 0 : Math.Max(1, (long)(Stopwatch.Frequency / iops));
        Volatile.Write(ref _nextDue, Stopwatch.GetTimestamp());
        Volatile.Write(ref _ticksPerIo, ticks);
        Interlocked.Increment(ref _epoch);
    }

    /// <summary>Starts the schedule at <paramref name="timestamp"/> (the run's start).</summary>
    public void Restart(long timestamp) => Volatile.Write(ref _nextDue, timestamp);

    /// <summary>Takes the next ticket: the Stopwatch timestamp at which it may be issued.</summary>
    public long NextDue(long ticksPerIo) => Interlocked.Add(ref _nextDue, ticksPerIo) - ticksPerIo;
}
