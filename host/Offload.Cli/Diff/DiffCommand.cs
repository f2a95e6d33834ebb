using System.CommandLine;
using Offload.Cli.Management;
using Offload.Cli.State;

namespace Offload.Cli.Diff;

/// <summary><c>offloadctl diff -f FILE</c>: what apply would change (like kubectl diff); changes nothing.</summary>
internal static class DiffCommand
{
    internal const string Description = """
        Compare FILE (schema offload.state/v1) with offloadd's desired state and print what 'offloadctl apply -f FILE'
        would change: '+' add, '-' remove, '~' change, one object per line, in apply order. Changes nothing.
        Exit code 0 whether or not there are differences (check the output, or "changes" in --json); 1 when FILE
        is invalid, 3 when offloadd is unreachable. The printed revision can be put in FILE to make apply refuse
        (exit 4) if someone changes the state in between.

        Examples:
          offloadctl diff -f state.json
          offloadctl diff -f state.json --json | jq '.changes | length'
        """;

    internal static Command Create(GlobalOptions global)
    {
        var file = StateFileReader.CreateFileOption();
        var command = new Command("diff", Description) { file };
        command.SetAction((parseResult, cancellationToken) =>
            CommandInvocation.RunAsync(parseResult, global, (context, token) => RunAsync(context, parseResult.GetValue(file)!, token), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string path, CancellationToken cancellationToken)
    {
        var desired = await StateFileReader.ReadAsync(path, cancellationToken);
        using var client = new ManagementClient(context.SocketPath);
        var result = await client.DiffStateAsync(desired, cancellationToken);
        ChangeView.Write(result, context, applied: false);
        return ExitCodes.Ok;
    }
}
