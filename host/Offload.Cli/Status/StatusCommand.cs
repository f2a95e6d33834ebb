using System.CommandLine;
using Offload.Cli.Management;

namespace Offload.Cli.Status;

/// <summary><c>offloadctl status</c>: offloadd's uptime and each connected NIC.</summary>
internal static class StatusCommand
{
    internal const string Description = """
        Show offloadd's version and uptime, and for each connected NIC its board id, firmware version,
        negotiated protocol version, connected-since time and heartbeat round-trip time.

        Examples:
          offloadctl status
          offloadctl status --json | jq '.nics[].boardId'
        """;

    internal static Command Create(GlobalOptions global)
    {
        var command = new Command("status", Description);
        command.SetAction((parseResult, cancellationToken) =>
            CommandInvocation.RunAsync(parseResult, global, RunAsync, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var status = await client.GetStatusAsync(cancellationToken);
        if (context.Json)
        {
            StatusView.WriteJson(status, context.Output);
        }
        else
        {
            StatusView.WriteText(status, DateTimeOffset.UtcNow, context.Output);
        }

        return ExitCodes.Ok;
    }
}
