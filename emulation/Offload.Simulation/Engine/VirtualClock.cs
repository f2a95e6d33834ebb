namespace Offload.Simulation.Engine;

/// <summary>A <see cref="TimeProvider"/> that returns the simulation's virtual time, both as wall-clock time (the
/// policy) and as timestamps (nic-fw's token buckets); timestamps are virtual nanoseconds.</summary>
internal sealed class VirtualClock : TimeProvider
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Virtual nanoseconds since the start of the run.</summary>
    public long Nanos { get; set; }

    /// <inheritdoc />
    public override long TimestampFrequency => 1_000_000_000;

    /// <inheritdoc />
    public override long GetTimestamp() => Nanos;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Origin.AddTicks(Nanos / 100);
}
