using System.CommandLine;
using System.Text.Json;
using Offload.Contracts.Management;

namespace Offload.Cli.State;

/// <summary>Reads a desired-state file (<c>-f FILE</c>, or <c>-f -</c> for stdin) with one-line errors.</summary>
internal static class StateFileReader
{
    /// <summary><c>--file/-f</c>, required, as apply and diff take it.</summary>
    internal static Option<string> CreateFileOption() =>
        new("--file", "-f") { Description = "Desired-state file (offload.state/v1); '-' reads stdin.", HelpName = "file", Required = true };

    internal static async Task<DesiredState> ReadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            if (path == "-")
            {
                using var stdin = Console.OpenStandardInput();
                using var copy = new MemoryStream();
                await stdin.CopyToAsync(copy, cancellationToken);
                bytes = copy.ToArray();
            }
            else
            {
                bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{path}: cannot read the state file ({ex.Message}); check the path");
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, ManagementJsonContext.Default.DesiredState)
                ?? throw new CommandFailedException($"{path}: the file holds null, not a state document; see docs/OPERATIONS.md for the {ManagementApi.StateSchema} schema");
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
            var message = ex.Message;
            var end = message.IndexOf(". ", StringComparison.Ordinal);
            message = (end < 0 ? message : message[..end]).TrimEnd('.');
            throw new CommandFailedException($"{path}: invalid JSON{where}: {message}; fix the file and re-run (nothing was changed)");
        }
    }
}
