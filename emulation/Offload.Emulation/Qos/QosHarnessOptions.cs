namespace Offload.Emulation.Qos;

/// <summary>What the real-time QoS harness runs and against which binaries.</summary>
public sealed record QosHarnessOptions(string NicFwPath, string OffloaddPath)
{
    /// <summary>Most I/O queues one tenant opens (the FIFO emulation opens one per outstanding command).</summary>
    public const int MaxQueuesPerTenant = 128;

    /// <summary>The shared namespace every tenant drives (RAM-backed).</summary>
    public const long NamespaceBytes = 64L * 1024 * 1024;

    /// <summary>The "device" capacity: the NVMe target core's dequeue cap (coreCapacityIops) and offloadd's initial
    /// capacity estimate, in IOPS.</summary>
    public long CapacityIops { get; init; } = 20_000;

    /// <summary>Seconds of measurement per mode (after the tenants connected).</summary>
    public double Seconds { get; init; } = 15;

    /// <summary>Seconds at the start of each run not counted in the means: the controller converging, and nic-fw's and
    /// offloadd's tiered JIT compilation (each mode starts fresh processes; offloadd used 56% of a core in its first
    /// 6 s and 20% after).</summary>
    public double WarmupSeconds { get; init; } = 6;

    /// <summary>Most repeats of scenario 5 (<see cref="Repeats"/>).</summary>
    public const int MaxRepeats = 20;

    /// <summary>Times scenario 5 runs each of its two Offload configurations (history off, history on), alternating.
    /// Its spike is the victims' worst p99 over two 100 ms windows -- a few dozen samples, dominated by one scheduling
    /// hiccup on a shared machine -- so its goal is judged on the median spike over the repeats. 1 to
    /// <see cref="MaxRepeats"/>.</summary>
    public int Repeats { get; init; } = 1;

    /// <summary>Modes to run, in order.</summary>
    public IReadOnlyList<QosMode> Modes { get; init; } = [QosMode.Fifo, QosMode.RoundRobin, QosMode.StaticLimits, QosMode.Offload];

    /// <summary>How long nic-fw and offloadd may take to start.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Progress lines (stderr in the CLI); null = quiet.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>Label of a mode in tables and plots.</summary>
    public static string Label(QosMode mode) => mode switch
    {
        QosMode.Fifo => "FIFO",
        QosMode.RoundRobin => "NVMe RR",
        QosMode.StaticLimits => "static limits",
        _ => "Offload",
    };
}
