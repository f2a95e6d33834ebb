using System.CommandLine;

namespace Offload.Cli.History;

/// <summary>The shape shared by <c>history</c> and <c>explain</c>: one tenant argument (its host NQN) and a
/// <c>--count/-n</c> option bounding how many entries come back.</summary>
internal static class TenantCommand
{
    internal static Command Create(
        GlobalOptions global,
        string name,
        string description,
        string countDescription,
        int defaultCount,
        Func<CliContext, string, int, CancellationToken, Task<int>> run)
    {
        var tenant = new Argument<string>("tenant") { Description = "The tenant's host NQN." };
        var count = new Option<int>("--count", "-n")
        {
            Description = countDescription,
            DefaultValueFactory = _ => defaultCount,
        };
        var command = new Command(name, description);
        command.Arguments.Add(tenant);
        command.Options.Add(count);
        command.SetAction((parseResult, cancellationToken) => CommandInvocation.RunAsync(parseResult, global,
            (context, ct) => run(context, parseResult.GetValue(tenant)!, parseResult.GetValue(count), ct), cancellationToken));
        return command;
    }
}
