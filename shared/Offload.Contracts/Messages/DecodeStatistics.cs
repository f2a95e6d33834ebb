namespace Offload.Contracts.Messages;

/// <summary>
/// Counts what a decoder skipped for forward compatibility: unknown keys inside known messages and whole messages
/// of unknown type. Thread-safe.
/// </summary>
public sealed class DecodeStatistics
{
    private long _unknownKeys;
    private long _unknownMessageTypes;

    public long UnknownKeys => Interlocked.Read(ref _unknownKeys);

    public long UnknownMessageTypes => Interlocked.Read(ref _unknownMessageTypes);

    public void CountUnknownKey() => Interlocked.Increment(ref _unknownKeys);

    public void CountUnknownMessageType() => Interlocked.Increment(ref _unknownMessageTypes);
}
