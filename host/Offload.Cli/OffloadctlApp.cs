using System.CommandLine;
using Offload.Cli.Status;

namespace Offload.Cli;

/// <summary>offloadctl's command tree and entry point.</summary>
internal static class OffloadctlApp
{
    internal const string Description = """
        offloadctl: operate Offload's host service (offloadd) and the smart NICs it manages.

        Examples:
          offloadctl status
          offloadctl status --json
          offloadctl status --socket /tmp/offloadd.sock
          offloadctl watch
          offloadctl capture --port 1 --count 100 -w port1.pcap
          source <(offloadctl completion bash)

        Exit codes: 0 ok, 1 error, 2 usage, 3 offloadd unreachable, 4 conflict.
        """;

    /// <summary>Builds the root command with every subcommand.</summary>
    internal static RootCommand CreateRootCommand()
    {
        var global = new GlobalOptions();
        var root = new RootCommand(Description);
        root.Options.Add(global.Socket);
        root.Options.Add(global.Json);
        root.Subcommands.Add(StatusCommand.Create(global));
        root.Subcommands.Add(Tenants.TenantsCommand.Create(global));
        root.Subcommands.Add(Subsystems.SubsystemsCommand.Create(global));
        root.Subcommands.Add(Rates.RatesCommand.Create(global));
        root.Subcommands.Add(Policy.PolicyCommand.Create(global));
        root.Subcommands.Add(Apply.ApplyCommand.Create(global));
        root.Subcommands.Add(Diff.DiffCommand.Create(global));
        root.Subcommands.Add(Nics.NicsCommand.Create(global));
        root.Subcommands.Add(Queues.QueuesCommand.Create(global));
        root.Subcommands.Add(Watch.WatchCommand.Create(global));
        root.Subcommands.Add(Flows.FlowsCommand.Create(global));
        root.Subcommands.Add(Capture.CaptureCommand.Create(global));
        root.Subcommands.Add(Logs.LogsCommand.Create(global));
        root.Subcommands.Add(Completion.CompletionCommand.Create());
        root.Subcommands.Add(Offload.Cli.History.HistoryCommand.Create(global));
        root.Subcommands.Add(Offload.Cli.Explain.ExplainCommand.Create(global));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = CreateRootCommand();
        var parseResult = root.Parse(args);
        bool suggesting = args.Length > 0 && args[0].StartsWith("[suggest", StringComparison.Ordinal);
        if (parseResult.Errors.Count > 0 && !suggesting)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync(CommandInvocation.Prefix + parseError.Message);
            }

            await error.WriteLineAsync("Run 'offloadctl --help' for usage and examples.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parseResult.InvokeAsync(configuration);
    }
}
