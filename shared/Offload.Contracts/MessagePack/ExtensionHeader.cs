namespace Offload.Contracts.MessagePack;

/// <summary>The type code and body length of an ext value.</summary>
public readonly record struct ExtensionHeader(sbyte TypeCode, uint Length);
