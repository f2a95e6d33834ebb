using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Offload.Contracts.Management;
using Spectre.Console;

namespace Offload.Cli;

/// <summary>Shared output plumbing of the commands: a Spectre console over the command's writer, and JSON writing.</summary>
internal static class Terminal
{
    private const int PipeWidth = 240;

    // Relaxed escaping keeps '+' and '>' readable; the output goes to a terminal or a pipe, never into HTML.
    private static readonly JsonSerializerOptions Indented = new(ManagementJsonContext.Default.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Compact = new(ManagementJsonContext.Default.Options)
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A console writing to <paramref name="output"/>; wide and colourless when it is not the terminal.</summary>
    internal static IAnsiConsole Create(TextWriter output, bool interactive = false)
    {
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive && terminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!terminal)
        {
            // A pipe or file has no width; do not wrap cells at Spectre's 80-column fallback, keep rows greppable.
            console.Profile.Width = PipeWidth;
        }

        return console;
    }

    /// <summary>True when <paramref name="output"/> is a real terminal.</summary>
    internal static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>Writes <paramref name="document"/> indented, then a newline.</summary>
    internal static void WriteJson<T>(T document, TextWriter output) =>
        output.WriteLine(JsonSerializer.Serialize(document, (JsonTypeInfo<T>)Indented.GetTypeInfo(typeof(T))));

    /// <summary>Writes <paramref name="document"/> as one line (JSON lines).</summary>
    internal static void WriteJsonLine<T>(T document, TextWriter output) =>
        output.WriteLine(JsonSerializer.Serialize(document, (JsonTypeInfo<T>)Compact.GetTypeInfo(typeof(T))));

    internal static string Number(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);

    internal static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><c>12.3 MB/s</c>-style rate with SI prefixes.</summary>
    internal static string Bytes(double bytesPerSecond)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        int unit = 0;
        while (bytesPerSecond >= 1000 && unit < units.Length - 1)
        {
            bytesPerSecond /= 1000;
            unit++;
        }

        return Number(bytesPerSecond, unit == 0 ? "0" : "0.0") + " " + units[unit];
    }

    /// <summary>Escapes Spectre markup in free text.</summary>
    internal static string Escape(string? text) => Markup.Escape(text ?? string.Empty);
}
