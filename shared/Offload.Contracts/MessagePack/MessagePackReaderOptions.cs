namespace Offload.Contracts.MessagePack;

/// <summary>Limits applied by <see cref="MessagePackReader"/> to untrusted input.</summary>
public sealed class MessagePackReaderOptions
{
    /// <summary>Defaults: depth 64, 1 MiB frames, 2^20 elements, 1 MiB strings.</summary>
    public static MessagePackReaderOptions Default { get; } = new();

    /// <summary>Maximum number of nested arrays/maps.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The reader refuses an input sequence larger than this many bytes.</summary>
    public int MaxFrameSize { get; init; } = 1 << 20;

    /// <summary>Maximum element count of one array or map.</summary>
    public int MaxCollectionLength { get; init; } = 1 << 20;

    /// <summary>Maximum byte length of one str, bin or ext body.</summary>
    public int MaxStringSize { get; init; } = 1 << 20;
}
