using System.CommandLine;
using System.Text.Json;
using Offload.Cli.Management;
using Offload.Cli.Status;
using Offload.Contracts.Management;
using Spectre.Console;

namespace Offload.Cli.Nics;

/// <summary><c>offloadctl nics</c>: every configured NIC endpoint, with its datapath counters when offloadd has them.</summary>
internal static class NicsCommand
{
    /// <summary>Datapath counters route (served by the datapath-stats feature; absent on older offloadd).</summary>
    internal const string DatapathRoute = "/v1/datapath";

    internal const string Description = """
        List the NICs offloadd is configured for: board id, firmware, negotiated protocol, endpoint, whether the
        mailbox session is up, heartbeat RTT, when the NIC was last heard from and messages received. When offloadd
        serves datapath counters (GET /v1/datapath) they follow the table.

        JSON schema: offload.nics/v1 (fields in docs/OPERATIONS.md).

        Examples:
          offloadctl nics
          offloadctl nics --json | jq '.nics[] | select(.connected | not) | .endpoint'
        """;

    internal static Command Create(GlobalOptions global)
    {
        var command = new Command("nics", Description);
        command.SetAction((parseResult, cancellationToken) =>
            CommandInvocation.RunAsync(parseResult, global, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var nics = await client.GetNicsAsync(cancellationToken);
        if (context.Json)
        {
            Terminal.WriteJson(nics, context.Output);
            return ExitCodes.Ok;
        }

        using var datapath = await client.TryGetDocumentAsync(DatapathRoute, cancellationToken);
        WriteText(nics, datapath, context.Output);
        return ExitCodes.Ok;
    }

    internal static void WriteText(NicsDocument nics, JsonDocument? datapath, TextWriter output)
    {
        var console = Terminal.Create(output);
        if (nics.Nics.Count == 0)
        {
            console.WriteLine("NICs: none configured (set Mailbox:Endpoints in offloadd's configuration)");
            return;
        }

        var table = new Table()
            .AddColumn("Board")
            .AddColumn("Endpoint")
            .AddColumn("State")
            .AddColumn("Firmware")
            .AddColumn(new TableColumn("Protocol").RightAligned())
            .AddColumn(new TableColumn("RTT").RightAligned())
            .AddColumn("Last seen")
            .AddColumn(new TableColumn("Messages").RightAligned())
            .AddColumn(new TableColumn("CPU").RightAligned())
            .AddColumn(new TableColumn("Telemetry CPU").RightAligned());
        foreach (var nic in nics.Nics)
        {
            table.AddRow(
                Terminal.Escape(nic.BoardId ?? "-"),
                Terminal.Escape(nic.Endpoint),
                nic.Connected ? "connected" : "disconnected",
                Terminal.Escape(nic.FirmwareVersion ?? "-"),
                nic.Connected ? "v" + nic.ProtocolVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-",
                StatusView.FormatRtt(nic.HeartbeatRttMs),
                nic.LastSeen is { } seen ? StatusView.FormatDuration(nics.At - seen) + " ago" : "never",
                Terminal.Number(nic.MessagesReceived),
                Percent(nic.CpuPercent),
                Percent(nic.TelemetryCpuPercent));
        }

        console.Write(table);
        if (datapath is not null)
        {
            var counters = new Table().AddColumn("Counter").AddColumn(new TableColumn("Value").RightAligned());
            AddCounters(counters, string.Empty, datapath.RootElement);
            if (counters.Rows.Count == 0)
            {
                console.WriteLine("Datapath: no counters reported (a NIC sends them once it runs datapath ports; see Datapath:Ports in nic-fw's configuration)");
            }
            else
            {
                console.WriteLine("Datapath:");
                console.Write(counters);
            }
        }
    }

    /// <summary>A share of one core ("4.2%"), or "-" when the NIC has not reported it.</summary>
    internal static string Percent(double? value) =>
        value is { } v ? v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "-";

    private static void AddCounters(Table table, string prefix, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals("schema"))
                {
                    continue;
                }

                AddCounters(table, prefix.Length == 0 ? property.Name : prefix + "." + property.Name, property.Value);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in element.EnumerateArray())
            {
                string label = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("port", out var port) ? port.ToString()
                    : item.ValueKind == JsonValueKind.Object && item.TryGetProperty("boardId", out var board) ? board.ToString()
                    : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                AddCounters(table, prefix + "[" + label + "]", item);
                i++;
            }
        }
        else if (element.ValueKind is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False)
        {
            table.AddRow(Terminal.Escape(prefix), Terminal.Escape(element.ToString()));
        }
    }
}
