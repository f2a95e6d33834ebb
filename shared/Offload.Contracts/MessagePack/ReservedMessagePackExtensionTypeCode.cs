namespace Offload.Contracts.MessagePack;

/// <summary>Extension type codes reserved by the MessagePack spec (-1..-128).</summary>
public static class ReservedMessagePackExtensionTypeCode
{
    /// <summary>The timestamp extension (spec: "Timestamp extension type", type -1).</summary>
    public const sbyte DateTime = -1;
}
