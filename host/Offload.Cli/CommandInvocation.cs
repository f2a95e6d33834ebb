using System.CommandLine;
using Offload.Cli.Management;

namespace Offload.Cli;

/// <summary>
/// Runs a command's action and maps failures to one line on stderr and a documented exit code
/// (see <see cref="ExitCodes"/>).
/// </summary>
internal static class CommandInvocation
{
    internal const string Prefix = "offloadctl: ";

    internal static async Task<int> RunAsync(
        ParseResult parseResult,
        GlobalOptions global,
        Func<CliContext, CancellationToken, Task<int>> action,
        CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var context = new CliContext(
            parseResult.GetValue(global.Socket) ?? GlobalOptions.DefaultSocketPath(),
            parseResult.GetValue(global.Json),
            output,
            error);
        try
        {
            return await action(context, cancellationToken);
        }
        catch (DaemonUnreachableException ex)
        {
            await error.WriteLineAsync(Prefix + ex.Message);
            return ExitCodes.DaemonUnreachable;
        }
        catch (ManagementApiException ex)
        {
            await error.WriteLineAsync(Prefix + ex.Message);
            return ex.StatusCode == 409 ? ExitCodes.Conflict : ExitCodes.Error;
        }
        catch (CommandFailedException ex)
        {
            await error.WriteLineAsync(Prefix + ex.Message);
            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync(Prefix + "interrupted");
            return ExitCodes.Error;
        }
    }
}
