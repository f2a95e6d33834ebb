namespace Offload.Contracts.MessagePack;

/// <summary>An ext value decoded by <see cref="MessagePackValueReader"/>: type code plus a copy of the body.</summary>
public readonly record struct ExtensionValue(sbyte TypeCode, byte[] Data)
{
    public bool Equals(ExtensionValue other) =>
        TypeCode == other.TypeCode && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(TypeCode);
        hash.AddBytes(Data);
        return hash.ToHashCode();
    }
}
