using System.CommandLine;
using Offload.Cli.Management;
using Offload.Cli.State;

namespace Offload.Cli.Apply;

/// <summary><c>offloadctl apply -f FILE</c>: make offloadd's desired state exactly the file's (like kubectl apply).</summary>
internal static class ApplyCommand
{
    internal const string Description = """
        Make offloadd's desired state exactly the one in FILE (schema offload.state/v1), persist it, and re-apply it to
        every connected NIC in dependency order. Prints what changed; "no changes" when the state was already that.
        When FILE carries a non-zero "revision", the change is refused with exit code 4 if offloadd's state has moved
        on since (someone else changed it): re-run diff, then apply.

        Examples:
          offloadctl apply -f state.json
          offloadctl diff -f state.json && offloadctl apply -f state.json --json
        """;

    internal static Command Create(GlobalOptions global)
    {
        var file = StateFileReader.CreateFileOption();
        var command = new Command("apply", Description) { file };
        command.SetAction((parseResult, cancellationToken) =>
            CommandInvocation.RunAsync(parseResult, global, (context, token) => RunAsync(context, parseResult.GetValue(file)!, token), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string path, CancellationToken cancellationToken)
    {
        var desired = await StateFileReader.ReadAsync(path, cancellationToken);
        using var client = new ManagementClient(context.SocketPath);
        if (desired.Revision == 0)
        {
            // based on what offloadd has now: a change that lands between this read and the write is still detected
            desired.Revision = (await client.GetStateAsync(cancellationToken)).Revision;
        }

        var result = await client.PutStateAsync(desired, cancellationToken);
        ChangeView.Write(result, context, applied: true);
        return ExitCodes.Ok;
    }
}
