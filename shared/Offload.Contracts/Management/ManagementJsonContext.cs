using System.Text.Json.Serialization;

namespace Offload.Contracts.Management;

/// <summary>
/// Source-generated System.Text.Json metadata for the management API documents (camelCase, nulls written,
/// so every documented field is always present).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(DatapathDocument))]
public sealed partial class ManagementJsonContext : JsonSerializerContext;
