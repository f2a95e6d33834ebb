using System.CommandLine;
using Offload.Cli.Management;
using Offload.Contracts.Management;
using Spectre.Console;

namespace Offload.Cli.Flows;

/// <summary><c>offloadctl flows</c>: dump the datapath's megaflows, filtered (like <c>ovs-appctl dpctl/dump-flows</c>).</summary>
internal static class FlowsCommand
{
    internal const string Description = """
        Dump the megaflows installed in the NICs' datapaths with their counters: match, actions, packets, bytes,
        time since last use, TCP flags seen, idle/hard timeouts. Filters combine (AND):
          --port P       flows matching in_port=P
          --tenant T     flows whose actions act for tenant T (app1 or 1): congestion marking, rate advertising
          --match M      ovs-ofctl style fields: in_port, eth_type, ip_proto, eth_src, eth_dst, nw_src, nw_dst[/len],
                         tp_src, tp_dst, vlan_tci, and the shorthands ip, tcp, udp, icmp, arp, ipv6
        A flow passes --match when its match covers the given fields with those values.

        JSON schema: offload.flows/v1 (fields in docs/OPERATIONS.md).

        Examples:
          offloadctl flows
          offloadctl flows --port 1 --match tcp,tp_dst=4420
          offloadctl flows --tenant app1 --json | jq '.flows[].packets'
        """;

    internal static Command Create(GlobalOptions global)
    {
        var port = new Option<int?>("--port") { Description = "Only flows matching this ingress port.", HelpName = "port" };
        port.Validators.Add(static r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 65534)
            {
                r.AddError("--port must be a datapath port number from 1 to 65534.");
            }
        });
        var tenant = new Option<string?>("--tenant") { Description = "Only flows acting for this tenant (app1 or 1).", HelpName = "tenant" };
        var match = new Option<string?>("--match") { Description = "Only flows matching these fields, e.g. tcp,tp_dst=4420.", HelpName = "fields" };
        var nic = new Option<string?>("--nic") { Description = "Only this NIC (board id); default: every connected NIC.", HelpName = "board" };
        var max = new Option<int?>("--max") { Description = "At most this many flows per NIC (1 to 2048).", HelpName = "n" };
        var command = new Command("flows", Description) { port, tenant, match, nic, max };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var query = new QueryString()
                .Add("nic", parseResult.GetValue(nic))
                .Add("port", parseResult.GetValue(port))
                .Add("tenant", parseResult.GetValue(tenant))
                .Add("match", parseResult.GetValue(match))
                .Add("max", parseResult.GetValue(max))
                .ToString();
            return CommandInvocation.RunAsync(parseResult, global, (context, token) => RunAsync(context, query, token), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string query, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var flows = await client.GetFlowsAsync(query, cancellationToken);
        if (context.Json)
        {
            Terminal.WriteJson(flows, context.Output);
        }
        else
        {
            WriteText(flows, context.Output);
        }

        return ExitCodes.Ok;
    }

    internal static void WriteText(FlowsDocument flows, TextWriter output)
    {
        // One line per flow, dump-flows style: easy to grep and to diff between two runs.
        foreach (var f in flows.Flows)
        {
            string used = f.UsedMsAgo is { } ms ? Terminal.Number(ms / 1000.0, "0.000") + "s" : "never";
            string flags = f.TcpFlags.Length > 0 ? ", flags:" + f.TcpFlags : string.Empty;
            string timeouts = (f.IdleTimeoutMs > 0 ? ", idle_timeout:" + Terminal.Number(f.IdleTimeoutMs / 1000.0, "0.###") + "s" : string.Empty)
                + (f.HardTimeoutMs > 0 ? ", hard_timeout:" + Terminal.Number(f.HardTimeoutMs / 1000.0, "0.###") + "s" : string.Empty);
            output.WriteLine(
                $"nic:{f.Nic}, {f.Match}, priority:{f.Priority}, packets:{f.Packets}, bytes:{f.Bytes}, used:{used}{flags}{timeouts}, actions:{f.Actions}");
        }

        output.WriteLine(flows.Flows.Count == 0
            ? "flows: none match"
            : $"flows: {flows.Flows.Count}{(flows.Truncated ? " (truncated: raise --max or narrow the filters)" : string.Empty)}");
    }
}
