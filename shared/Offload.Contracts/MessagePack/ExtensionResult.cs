using System.Buffers;

namespace Offload.Contracts.MessagePack;

/// <summary>An ext value: type code plus the body bytes (a slice of the reader's input; no copy).</summary>
public readonly record struct ExtensionResult(sbyte TypeCode, ReadOnlySequence<byte> Data)
{
    public ExtensionHeader Header => new(TypeCode, (uint)Data.Length);
}
