using System.CommandLine;
using System.Globalization;
using Offload.Cli.Management;
using Offload.Cli.State;
using Offload.Contracts.Management;

namespace Offload.Cli.Policy;

/// <summary><c>offloadctl policy show|set</c>: control-loop policy parameters in the desired state.</summary>
internal static class PolicyCommand
{
    internal const string Description = """
        Control-loop policy parameters: enforce (send the controller's rates to the NICs; false = dry run, decisions
        are still recorded for explain) and require-flow-metadata (enforce only once a NIC has reported flow metadata).

        Examples:
          offloadctl policy show
          offloadctl policy set --enforce false
          offloadctl policy set --enforce true --require-flow-metadata true --json
        """;

    internal static Command Create(GlobalOptions global)
    {
        var command = new Command("policy", Description);
        var show = new Command("show", "Show the policy parameters.\n\nExamples:\n  offloadctl policy show\n  offloadctl policy show --json");
        show.SetAction((parseResult, cancellationToken) => CommandInvocation.RunAsync(parseResult, global, ShowAsync, cancellationToken));
        command.Subcommands.Add(show);

        var enforce = new Option<bool?>("--enforce") { Description = "true or false.", HelpName = "bool" };
        var requireFlows = new Option<bool?>("--require-flow-metadata") { Description = "true or false.", HelpName = "bool" };
        var set = new Command("set", "Change policy parameters; options not given keep their value.\n\nExample:\n  offloadctl policy set --enforce false") { enforce, requireFlows };
        set.SetAction((parseResult, cancellationToken) => CommandInvocation.RunAsync(parseResult, global, (context, token) =>
        {
            var e = parseResult.GetValue(enforce);
            var r = parseResult.GetValue(requireFlows);
            if (e is null && r is null)
            {
                throw new CommandFailedException("policy set needs --enforce and/or --require-flow-metadata; see 'offloadctl policy set --help'", ExitCodes.Usage);
            }

            return DesiredStateEdit.RunAsync(context, state =>
            {
                state.Policy.Enforce = e ?? state.Policy.Enforce;
                state.Policy.RequireFlowMetadata = r ?? state.Policy.RequireFlowMetadata;
            }, token);
        }, cancellationToken));
        command.Subcommands.Add(set);
        return command;
    }

    private static async Task<int> ShowAsync(CliContext context, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var state = await client.GetStateAsync(cancellationToken);
        if (context.Json)
        {
            CliOutput.WriteJson(new PolicyDocument(ManagementApi.PolicySchema, state.Revision, state.Policy), context.Output);
            return ExitCodes.Ok;
        }

        context.Output.WriteLine($"enforce: {(state.Policy.Enforce ? "true" : "false")}");
        context.Output.WriteLine($"require-flow-metadata: {(state.Policy.RequireFlowMetadata ? "true" : "false")}");
        context.Output.WriteLine($"revision {state.Revision.ToString(CultureInfo.InvariantCulture)}");
        return ExitCodes.Ok;
    }
}
