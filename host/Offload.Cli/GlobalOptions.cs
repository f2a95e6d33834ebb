using System.CommandLine;
using Offload.Contracts.Management;

namespace Offload.Cli;

/// <summary>Options every offloadctl command accepts (declared once on the root, recursive).</summary>
internal sealed class GlobalOptions
{
    public GlobalOptions()
    {
        Socket = new Option<string>("--socket")
        {
            Description = $"Path of offloadd's management socket (env {ManagementApi.SocketEnvironmentVariable}).",
            HelpName = "path",
            Recursive = true,
            DefaultValueFactory = static _ => DefaultSocketPath(),
        };
        Json = new Option<bool>("--json")
        {
            Description = "Write the answer as stable, machine-readable JSON (the API document) instead of a table.",
            Recursive = true,
        };
    }

    /// <summary><c>--socket</c>: management socket path.</summary>
    public Option<string> Socket { get; }

    /// <summary><c>--json</c>: machine output.</summary>
    public Option<bool> Json { get; }

    /// <summary><c>$OFFLOAD_SOCKET</c> when set and non-empty, else <see cref="ManagementApi.DefaultSocketPath"/>.</summary>
    internal static string DefaultSocketPath()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(ManagementApi.SocketEnvironmentVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? ManagementApi.DefaultSocketPath : fromEnvironment;
    }
}
