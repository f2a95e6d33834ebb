using System.CommandLine;
using System.Globalization;
using Offload.Cli.Management;
using Offload.Contracts.Management;
using Spectre.Console;

namespace Offload.Cli.Queues;

/// <summary><c>offloadctl queues</c>: SQ and CQ occupancy per application queue pair.</summary>
internal static class QueuesCommand
{
    internal const string Description = """
        Show SQ and CQ occupancy of every application's NVMe queue pairs, from each NIC's latest occupancy report:
        instantaneous depth / size, time-averaged depth and level (low, medium, high).

        With --connections: one row per NVMe/TCP I/O connection (flow: host address:port -> NIC address:port),
        with its application, IOPS, MB/s, SQ/CQ depth and p99 latency, from each NIC's latest flow metadata.

        JSON schema: offload.queues/v1, or offload.connections/v1 with --connections (fields in docs/OPERATIONS.md).

        Examples:
          offloadctl queues
          offloadctl queues --connections
          offloadctl queues --connections --json | jq '.connections[] | select(.tenant == "app1")'
          offloadctl queues --json | jq '.queues[] | select(.sqLevel == "high")'
        """;

    internal static Command Create(GlobalOptions global)
    {
        var connections = new Option<bool>("--connections") { Description = "One row per NVMe/TCP connection (5-tuple) instead of per queue." };
        var command = new Command("queues", Description) { connections };
        command.SetAction((parseResult, cancellationToken) =>
            CommandInvocation.RunAsync(parseResult, global,
                parseResult.GetValue(connections) ? QueueConnectionsView.RunAsync : RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var queues = await client.GetQueuesAsync(cancellationToken);
        if (context.Json)
        {
            Terminal.WriteJson(queues, context.Output);
        }
        else
        {
            WriteText(queues, context.Output);
        }

        return ExitCodes.Ok;
    }

    internal static void WriteText(QueuesDocument queues, TextWriter output)
    {
        var console = Terminal.Create(output);
        if (queues.Queues.Count == 0)
        {
            console.WriteLine("Queues: none reported (no NIC connected, or no NVMe host connected to a NIC)");
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var table = new Table()
            .AddColumn("NIC")
            .AddColumn("Tenant")
            .AddColumn(new TableColumn("Queue").RightAligned())
            .AddColumn(new TableColumn("SQ depth/size").RightAligned())
            .AddColumn(new TableColumn("SQ avg").RightAligned())
            .AddColumn("SQ level")
            .AddColumn(new TableColumn("CQ depth/size").RightAligned())
            .AddColumn(new TableColumn("CQ avg").RightAligned())
            .AddColumn("CQ level");
        foreach (var q in queues.Queues)
        {
            table.AddRow(
                Terminal.Escape(q.Nic),
                Terminal.Escape(q.Tenant),
                q.Queue == Offload.Contracts.Ids.QueueId.AllQueues.Value ? "all" : q.Queue.ToString(c),
                string.Create(c, $"{q.SqDepth}/{q.SqSize}"),
                Terminal.Number(q.SqAverage, "0.00"),
                q.SqLevel,
                string.Create(c, $"{q.CqDepth}/{q.CqSize}"),
                Terminal.Number(q.CqAverage, "0.00"),
                q.CqLevel);
        }

        console.Write(table);
    }
}
