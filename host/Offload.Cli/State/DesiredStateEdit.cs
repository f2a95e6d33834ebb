using System.CommandLine;
using Offload.Cli.Management;
using Offload.Contracts.Management;

namespace Offload.Cli.State;

/// <summary>
/// Read-modify-write of offloadd's desired state for the tenants, subsystems, rates and policy commands: read the
/// current state (revision R), change it, send it back based on R. A concurrent change in between makes offloadd answer
/// 409, which offloadctl reports with exit code 4 and nothing changed.
/// </summary>
internal static class DesiredStateEdit
{
    /// <summary>Makes <paramref name="command"/> edit the state with <paramref name="edit"/> (given the parse result).</summary>
    internal static void SetAction(Command command, GlobalOptions global, Action<ParseResult, DesiredState> edit) =>
        command.SetAction((parseResult, cancellationToken) => CommandInvocation.RunAsync(parseResult, global, (context, token) =>
            RunAsync(context, state => edit(parseResult, state), token), cancellationToken));

    /// <summary>Applies <paramref name="edit"/> to the current state and prints what changed.</summary>
    internal static async Task<int> RunAsync(CliContext context, Action<DesiredState> edit, CancellationToken cancellationToken)
    {
        using var client = new ManagementClient(context.SocketPath);
        var state = await client.GetStateAsync(cancellationToken);
        edit(state);
        var result = await client.PutStateAsync(state, cancellationToken);
        ChangeView.Write(result, context, applied: true);
        return ExitCodes.Ok;
    }

    /// <summary>The tenant called <paramref name="name"/>, or a one-line error saying how to find the right name.</summary>
    internal static TenantSpec RequireTenant(DesiredState state, string name) =>
        state.Tenants.Find(t => t.Name == name)
        ?? throw new CommandFailedException($"tenant '{name}' not found; list tenants with 'offloadctl tenants list' or add it with 'offloadctl tenants add {name} --app N'");
}
