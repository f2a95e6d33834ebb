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
[JsonSerializable(typeof(DesiredState))]
[JsonSerializable(typeof(StateChangeDocument))]
[JsonSerializable(typeof(RatesDocument))]
[JsonSerializable(typeof(TenantsDocument))]
[JsonSerializable(typeof(TenantDocument))]
[JsonSerializable(typeof(SubsystemsDocument))]
[JsonSerializable(typeof(PolicyDocument))]
[JsonSerializable(typeof(NicsDocument))]
[JsonSerializable(typeof(QueuesDocument))]
[JsonSerializable(typeof(ConnectionsDocument))]
[JsonSerializable(typeof(LiveDocument))]
[JsonSerializable(typeof(LogsDocument))]
[JsonSerializable(typeof(FlowsDocument))]
[JsonSerializable(typeof(CaptureSummary))]
[JsonSerializable(typeof(HistoryDocument))]
[JsonSerializable(typeof(ExplainDocument))]
[JsonSerializable(typeof(NetworkDemandDocument))]
[JsonSerializable(typeof(DatapathDocument))]
public sealed partial class ManagementJsonContext : JsonSerializerContext;
