namespace Offload.Simulation.Engine;

/// <summary>A <see cref="TimeProvider"/> that returns the simulation's virtual time.</summary>
internal sealed class VirtualClock : TimeProvider
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Virtual nanoseconds since the start of the run.</summary>
    public long Nanos { get; set; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Origin.AddTicks(Nanos / 100);
}
