using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Offload.Contracts.Management;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Offload.Cli.Status;

/// <summary>Renders a <see cref="StatusDocument"/> as text (Spectre.Console table) or as indented JSON.</summary>
internal static class StatusView
{
    // Relaxed escaping keeps '+' in versions readable; the output goes to a terminal or a pipe, never into HTML.
    private static readonly JsonSerializerOptions IndentedJson = new(ManagementJsonContext.Default.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const int PipeWidth = 240;

    /// <summary>Writes the API document, indented, followed by a newline.</summary>
    internal static void WriteJson(StatusDocument status, TextWriter output)
    {
        output.WriteLine(JsonSerializer.Serialize(status, IndentedJson.GetTypeInfo(typeof(StatusDocument))));
    }

    /// <summary>Writes a one-line summary and a table of NICs (or a line saying there are none).</summary>
    internal static void WriteText(StatusDocument status, DateTimeOffset now, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (Console.IsOutputRedirected || !ReferenceEquals(output, Console.Out))
        {
            // A pipe or file has no width; do not wrap cells at Spectre's 80-column fallback, keep rows greppable.
            console.Profile.Width = PipeWidth;
        }

        console.Write(new Text(
            $"offloadd {status.Version}, up {FormatDuration(TimeSpan.FromSeconds(status.UptimeSeconds))} (since {FormatTime(status.StartedAt)})"));
        console.WriteLine();

        if (status.Nics.Count == 0)
        {
            console.Write(new Text("NICs: none connected"));
            console.WriteLine();
            return;
        }

        console.Write(new Text($"NICs: {status.Nics.Count.ToString(CultureInfo.InvariantCulture)} connected"));
        console.WriteLine();
        var table = new Table()
            .AddColumn("Board")
            .AddColumn("Firmware")
            .AddColumn(new TableColumn("Protocol").RightAligned())
            .AddColumn("Connected since")
            .AddColumn(new TableColumn("Heartbeat RTT").RightAligned());
        foreach (var nic in status.Nics)
        {
            table.AddRow(new IRenderable[]
            {
                new Text(nic.BoardId),
                new Text(nic.FirmwareVersion),
                new Text("v" + nic.ProtocolVersion.ToString(CultureInfo.InvariantCulture)),
                new Text($"{FormatTime(nic.ConnectedSince)} ({FormatDuration(now - nic.ConnectedSince)} ago)"),
                new Text(FormatRtt(nic.HeartbeatRttMs)),
            });
        }

        console.Write(table);
    }

    /// <summary><c>45s</c>, <c>5m 03s</c>, <c>2h 05m 03s</c>, <c>3d 02h 05m</c>; negative durations print as 0s.</summary>
    internal static string FormatDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        var c = CultureInfo.InvariantCulture;
        return duration.TotalDays >= 1
            ? string.Create(c, $"{(int)duration.TotalDays}d {duration.Hours:00}h {duration.Minutes:00}m")
            : duration.TotalHours >= 1
                ? string.Create(c, $"{duration.Hours}h {duration.Minutes:00}m {duration.Seconds:00}s")
                : duration.TotalMinutes >= 1
                    ? string.Create(c, $"{duration.Minutes}m {duration.Seconds:00}s")
                    : string.Create(c, $"{duration.Seconds}s");
    }

    /// <summary><c>0.412 ms</c> under 10 ms, <c>12.3 ms</c> above, <c>-</c> before the first heartbeat.</summary>
    internal static string FormatRtt(double? milliseconds) => milliseconds switch
    {
        null => "-",
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds.Value:0.000} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds.Value:0.0} ms"),
    };

    /// <summary>UTC, second precision: <c>2026-11-21 23:27:25Z</c>.</summary>
    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
