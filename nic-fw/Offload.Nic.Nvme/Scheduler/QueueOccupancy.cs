namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Depth of one SQ or CQ: instantaneous value plus an exponentially time-weighted average with time constant
/// <see cref="TimeConstant"/> (weights each depth by how long it lasted, using <see cref="TimeProvider"/>).
/// The state lives in a <see cref="TelemetryCell"/>'s line (a connection's SQ and CQ next to its counters, so a
/// telemetry sweep reads them in order); updated by the owning queue pair thread, read from anywhere (torn reads of
/// the average are harmless).
/// </summary>
public sealed partial class QueueOccupancy
{
    private readonly TimeProvider _time;
    private readonly TelemetryCell _cell;
    private readonly bool _completion;

    /// <summary>Time constants per timestamp tick of this queue's clock (so a reading is one subtract and one multiply,
    /// not a TimeSpan).</summary>
    private readonly double _constantsPerTick;

    /// <summary>A queue on a private line.</summary>
    public QueueOccupancy(TimeProvider time, int queueSize)
        : this(time, new TelemetryCell(), completion: false, queueSize)
    {
    }

    /// <summary>The SQ (or, with <paramref name="completion"/>, the CQ) of the connection counting in <paramref name="cell"/>.</summary>
    public QueueOccupancy(TimeProvider time, TelemetryCell cell, bool completion, int queueSize)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(cell);
        _time = time;
        _cell = cell;
        _completion = completion;
        _constantsPerTick = ConstantsPerTick(time);
        ref var state = ref State;
        state.LastChange = time.GetTimestamp();
        state.QueueSize = queueSize;
    }

    public static TimeSpan TimeConstant { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Time constants per tick of <paramref name="time"/>'s timestamps.</summary>
    public static double ConstantsPerTick(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return 1.0 / (time.TimestampFrequency * TimeConstant.TotalSeconds);
    }

    private ref QueueState State => ref _completion ? ref _cell.Line.Completion : ref _cell.Line.Submission;

    public int QueueSize
    {
        get => Volatile.Read(ref State.QueueSize);
        set => Volatile.Write(ref State.QueueSize, value);
    }

    public int Depth => Volatile.Read(ref State.Depth);

    public void Set(int depth)
    {
        ref var state = ref State;
        if (depth == state.Depth)
        {
            return;
        }

        var now = _time.GetTimestamp();
        long held = now - state.LastChange;
        state.Average = Toward(state.Average, state.Depth, Weight(held * _constantsPerTick));
        Volatile.Write(ref state.Integral, state.Integral + (state.Depth * Math.Max(0, held)));
        Volatile.Write(ref state.LastChange, now);
        Volatile.Write(ref state.Depth, depth);
        SignalLevel(depth);
    }

    public void Add(int delta) => Set(Depth + delta);

    /// <summary>The time-weighted average depth up to now.</summary>
    public double AverageDepth => AverageDepthAt(_time.GetTimestamp());

    /// <summary><see cref="AverageDepth"/> as of <paramref name="timestamp"/> (of this queue's TimeProvider): a reader of
    /// thousands of queues takes one timestamp per pass rather than one per queue.</summary>
    public double AverageDepthAt(long timestamp) => AverageAt(ref State, timestamp, _constantsPerTick);

    /// <summary>The time-weighted average of a queue <paramref name="state"/> as of <paramref name="timestamp"/>, for a
    /// reader that sweeps lines (<see cref="TelemetrySlab"/>) rather than queue objects.</summary>
    public static double AverageAt(ref QueueState state, long timestamp, double constantsPerTick)
    {
        double x = (timestamp - Volatile.Read(ref state.LastChange)) * constantsPerTick;
        double average = state.Average;
        return average + ((Volatile.Read(ref state.Depth) - average) * Weight(x));
    }

    /// <summary>This queue's <see cref="IntegralAt(ref QueueState, long)"/>.</summary>
    public long IntegralAt(long timestamp) => IntegralAt(ref State, timestamp);

    /// <summary>The integral of the depth over time (depth x ticks of the queue's clock) up to <paramref name="timestamp"/>:
    /// the average over a window is the change of this over the window's length (<see cref="WindowAverage"/>). A read
    /// racing a change may pair one change's integral with the other's time; the window it lands in is off by at most
    /// one depth step over the time since that change, and the next window takes the difference back.</summary>
    public static long IntegralAt(ref QueueState state, long timestamp)
    {
        long changed = Volatile.Read(ref state.LastChange);
        long integral = Volatile.Read(ref state.Integral);
        return integral + (Volatile.Read(ref state.Depth) * Math.Max(0, timestamp - changed));
    }

    /// <summary>The average depth between two readings of <see cref="IntegralAt"/> (0 over an empty window; never
    /// negative).</summary>
    public static double WindowAverage(long integralBefore, long before, long integralNow, long now) =>
        now > before ? Math.Max(0, integralNow - integralBefore) / (double)(now - before) : 0;

    /// <summary>
    /// <paramref name="average"/> moved toward <paramref name="depth"/> by <paramref name="weight"/>, and snapped to it
    /// once within 1e-9 of it. Without the snap an idle queue's average decays into subnormal doubles and stays there (a
    /// step smaller than half the least subnormal rounds to no change), and subnormal arithmetic costs a microcode
    /// assist per operation: a telemetry sweep over thousands of idle queues slowed by several times.
    /// </summary>
    internal static double Toward(double average, int depth, double weight)
    {
        double next = average + ((depth - average) * weight);
        return Math.Abs(depth - next) < 1e-9 ? depth : next;
    }

    /// <summary>1 - e^-x, the weight of the depth held for x time constants. Below x = 1/16 (62 ms at the 1 s time
    /// constant: every change on a busy queue and every telemetry read of one) a 4-term Taylor series, within 1e-8 of
    /// Math.Exp's and several times cheaper; from 40 on (e^-40 is 4e-18), 1; negative x (a timestamp taken just before a
    /// concurrent change) is 0.</summary>
    internal static double Weight(double x)
    {
        if (x < 0.0625)
        {
            return x <= 0 ? 0 : x * (1 - (x * (0.5 - (x * ((1.0 / 6) - (x * (1.0 / 24)))))));
        }

        if (x >= 40)
        {
            return 1;
        }

        return 1 - Math.Exp(-x);
    }
}
