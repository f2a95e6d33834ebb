namespace Offload.Nic.Datapath.Tests;

/// <summary>Fake time: timestamps advance only when the test says so (1 tick = 1 ns).</summary>
internal sealed class SimulatedTimeProvider : TimeProvider
{
    private long _ticks = 1_000_000_000;

    public override long TimestampFrequency => 1_000_000_000;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp() / 100);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, (long)(by.TotalSeconds * TimestampFrequency));
}
