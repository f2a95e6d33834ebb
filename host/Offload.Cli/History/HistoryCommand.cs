using System.CommandLine;
using Offload.Cli.Management;

namespace Offload.Cli.History;

/// <summary><c>offloadctl history &lt;tenant&gt;</c>: a tenant's stored demand history and what it predicts.</summary>
internal static class HistoryCommand
{
    internal const string Description = """
        Show a tenant's demand history from offloadd's SQLite database: per-minute rollups (older ones compacted
        into hours) of its peak and mean rate and read share, and the demand the controller predicts for it when
        it reconnects. The tenant is the host NQN its initiator connects with. Rates are cost units/s
        (one 4 KiB read = 1). --json prints the offload.history/v1 document.

        Examples:
          offloadctl history nqn.2014-08.org.nvmexpress:uuid:7d8c1c34-0f3e-4a57-9a43-2f0c3b8e7a11
          offloadctl history nqn.2014-08.org.nvmexpress:uuid:7d8c... --count 10 --json | jq '.prediction'
        """;

    internal static Command Create(GlobalOptions global) =>
        TenantCommand.Create(global, "history", Description, "Rollups to show, newest first (1-1000).", 60, RunAsync);

    private static async Task<int> RunAsync(CliContext context, string tenant, int count, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var history = await client.GetHistoryAsync(tenant, count, cancellationToken);
        if (context.Json)
        {
            TenantJson.Write(history, context.Output);
        }
        else
        {
            HistoryView.WriteText(history, context.Output);
        }

        return ExitCodes.Ok;
    }
}
