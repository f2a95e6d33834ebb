using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Offload.Contracts.Management;
using Spectre.Console;

namespace Offload.Cli;

/// <summary>Shared output: indented API documents for <c>--json</c>, and a Spectre console for tables.</summary>
internal static class CliOutput
{
    private const int PipeWidth = 240;

    // Relaxed escaping keeps '+' and '>' readable; the output goes to a terminal or a pipe, never into HTML.
    private static readonly JsonSerializerOptions IndentedJson = new(ManagementJsonContext.Default.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="document"/> as indented JSON and a newline.</summary>
    internal static void WriteJson<T>(T document, TextWriter output)
    {
        output.WriteLine(JsonSerializer.Serialize(document, (JsonTypeInfo<T>)IndentedJson.GetTypeInfo(typeof(T))));
    }

    /// <summary>A console writing to <paramref name="output"/>; wide when it is not the terminal, so rows stay greppable.</summary>
    internal static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (System.Console.IsOutputRedirected || !ReferenceEquals(output, System.Console.Out))
        {
            console.Profile.Width = PipeWidth;
        }

        return console;
    }
}
