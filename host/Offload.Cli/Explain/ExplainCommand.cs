using System.CommandLine;
using Offload.Cli.History;
using Offload.Cli.Management;

namespace Offload.Cli.Explain;

/// <summary><c>offloadctl explain &lt;tenant&gt;</c>: the controller's last decisions about a tenant, in plain words.</summary>
internal static class ExplainCommand
{
    internal const string Description = """
        Explain the controller's last decisions about a tenant: for each, when, on which NIC, the rule that fired,
        the old and new rate, and the inputs it saw (measured rate, demand, capacity estimate, SQ/CQ levels, weight),
        oldest first. The tenant is the host NQN its initiator connects with. Rates are cost units/s
        (one 4 KiB read = 1). --json prints the same decisions as the offload.explain/v1 document.

        Examples:
          offloadctl explain nqn.2014-08.org.nvmexpress:uuid:7d8c1c34-0f3e-4a57-9a43-2f0c3b8e7a11
          offloadctl explain nqn.2014-08.org.nvmexpress:uuid:7d8c... -n 50 --json | jq '.decisions[].rule'
        """;

    internal static Command Create(GlobalOptions global) =>
        TenantCommand.Create(global, "explain", Description, "Decisions to show, the most recent ones (1-1000).", 10, RunAsync);

    private static async Task<int> RunAsync(CliContext context, string tenant, int count, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var explain = await client.GetExplainAsync(tenant, count, cancellationToken);
        if (context.Json)
        {
            TenantJson.Write(explain, context.Output);
            return ExitCodes.Ok;
        }

        if (explain.Decisions.Count == 0)
        {
            context.Output.WriteLine($"No decisions about {explain.Tenant} yet: the controller records one when it admits, changes or releases the tenant's rate.");
            return ExitCodes.Ok;
        }

        foreach (var d in explain.Decisions)
        {
            context.Output.WriteLine($"[{d.Nic}] {d.Text}");
        }

        return ExitCodes.Ok;
    }
}
