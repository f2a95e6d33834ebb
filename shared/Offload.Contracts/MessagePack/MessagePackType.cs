namespace Offload.Contracts.MessagePack;

/// <summary>The MessagePack type family of a value, as named by the spec.</summary>
#pragma warning disable CA1720 // the names are the spec's format names, kept identical to MessagePack-CSharp
public enum MessagePackType
{
    Unknown,
    Integer,
    Nil,
    Boolean,
    Float,
    String,
    Binary,
    Array,
    Map,
    Extension,
}
#pragma warning restore CA1720
