namespace Offload.Nic.Nvme.Tests.Support;

/// <summary>A manually advanced clock (FakeTimeProvider is not available here). Timestamps are 100 ns ticks.</summary>
public sealed class SimulatedTimeProvider : TimeProvider
{
    private long _ticks = TimeSpan.TicksPerDay;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(GetTimestamp()));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
