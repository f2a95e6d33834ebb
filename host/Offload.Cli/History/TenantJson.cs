using System.Text.Encodings.Web;
using System.Text.Json;
using Offload.Contracts.Management;

namespace Offload.Cli.History;

/// <summary>Writes the per-tenant documents as indented JSON (the API document, unchanged).</summary>
internal static class TenantJson
{
    private static readonly JsonSerializerOptions IndentedJson = new(ManagementJsonContext.Default.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal static void Write(HistoryDocument document, TextWriter output) =>
        output.WriteLine(JsonSerializer.Serialize(document, IndentedJson.GetTypeInfo(typeof(HistoryDocument))));

    internal static void Write(ExplainDocument document, TextWriter output) =>
        output.WriteLine(JsonSerializer.Serialize(document, IndentedJson.GetTypeInfo(typeof(ExplainDocument))));
}
