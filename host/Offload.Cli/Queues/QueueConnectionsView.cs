using System.Globalization;
using Offload.Cli.Management;
using Offload.Contracts.Management;
using Spectre.Console;

namespace Offload.Cli.Queues;

/// <summary><c>offloadctl queues --connections</c>: one row per NVMe/TCP I/O connection (5-tuple).</summary>
internal static class QueueConnectionsView
{
    internal static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var connections = await client.GetConnectionsAsync(cancellationToken);
        if (context.Json)
        {
            Terminal.WriteJson(connections, context.Output);
        }
        else
        {
            WriteText(connections, context.Output);
        }

        return ExitCodes.Ok;
    }

    internal static void WriteText(ConnectionsDocument connections, TextWriter output)
    {
        var console = Terminal.Create(output);
        if (connections.Connections.Count == 0)
        {
            console.WriteLine("Connections: none reported (no NIC connected, or no NVMe I/O connection to a NIC)");
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var table = new Table()
            .AddColumn("NIC")
            .AddColumn("Tenant")
            .AddColumn("Host")
            .AddColumn("NIC port")
            .AddColumn(new TableColumn("Read IOPS").RightAligned())
            .AddColumn(new TableColumn("Write IOPS").RightAligned())
            .AddColumn(new TableColumn("MB/s r/w").RightAligned())
            .AddColumn(new TableColumn("SQ avg").RightAligned())
            .AddColumn("SQ level")
            .AddColumn(new TableColumn("CQ avg").RightAligned())
            .AddColumn(new TableColumn("p99 µs").RightAligned());
        foreach (var r in connections.Connections)
        {
            table.AddRow(
                Terminal.Escape(r.Nic),
                Terminal.Escape(r.Tenant),
                Terminal.Escape(Endpoint(r.Source, r.SourcePort)),
                Terminal.Escape(Endpoint(r.Destination, r.DestinationPort)),
                Terminal.Number(r.ReadIops, "0"),
                Terminal.Number(r.WriteIops, "0"),
                string.Create(c, $"{r.ReadMegabytesPerSecond:0.00}/{r.WriteMegabytesPerSecond:0.00}"),
                Terminal.Number(r.SqAverage, "0.00"),
                r.SqLevel,
                Terminal.Number(r.CqAverage, "0.00"),
                Terminal.Number(r.LatencyP99Micros, "0.0"));
        }

        console.Write(table);
    }

    private static string Endpoint(string address, ushort port) =>
        address.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");
}
