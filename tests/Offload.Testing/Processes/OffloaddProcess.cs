namespace Offload.Testing.Processes;

/// <summary>
/// A real offloadd serving its management API on a socket in a fresh temp directory. Start returns once
/// offloadd has logged that the API is ready (socket bound, mode 0660 applied).
/// </summary>
public sealed class OffloaddProcess : IDisposable
{
    /// <summary>Text of offloadd's "Management API ready" log event (event id 1000).</summary>
    public const string ReadyText = "Management API ready on unix:";

    /// <summary>How long a start may take on a loaded machine.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory? _ownedDirectory;

    private OffloaddProcess(ChildProcess process, string socketPath, TempDirectory? ownedDirectory)
    {
        Process = process;
        SocketPath = socketPath;
        _ownedDirectory = ownedDirectory;
    }

    /// <summary>The running process.</summary>
    public ChildProcess Process { get; }

    /// <summary>The management socket path.</summary>
    public string SocketPath { get; }

    /// <summary>
    /// Starts offloadd with its socket at <paramref name="socketPath"/> (default: a new temp directory) plus
    /// <paramref name="extraArguments"/> (for example <c>--Mailbox:Endpoints:0=tcp://127.0.0.1:7400</c>), and waits
    /// until it is ready.
    /// </summary>
    public static async Task<OffloaddProcess> StartAsync(string? socketPath = null, params string[] extraArguments)
    {
        var owned = socketPath is null ? new TempDirectory() : null;
        var path = socketPath ?? owned!.File("offloadd.sock");
        // Unless the test names NIC endpoints, point the mailbox at a socket nobody serves, so a nic-fw started by a
        // test running in parallel (default endpoint 127.0.0.1:7420) can never show up in this offloadd.
        string[] isolation = extraArguments.Any(a => a.StartsWith("--Mailbox:Endpoints", StringComparison.Ordinal))
            ? []
            : [$"--Mailbox:Endpoints:0=unix://{path}.no-nic"];
        // Keep the desired state, audit log and tenant history next to the socket unless the test names them, so no
        // test reads or writes /var/lib/offload.
        string[] stateIsolation = extraArguments.Any(a => a.StartsWith("--State:", StringComparison.Ordinal))
            ? []
            : [$"--State:Path={path}.state.json", $"--State:AuditLogPath={path}.audit.jsonl"];
        string[] history = extraArguments.Any(a => a.StartsWith("--History:", StringComparison.Ordinal))
            ? []
            : [$"--History:Path={path}.history.db"];
        var process = ChildProcess.Start(RepositoryLayout.Offloadd, [$"--Management:SocketPath={path}", .. isolation, .. stateIsolation, .. history, .. extraArguments]);
        var offloadd = new OffloaddProcess(process, path, owned);
        try
        {
            await process.WaitForOutputAsync(ReadyText, StartTimeout);
        }
        catch
        {
            offloadd.Dispose();
            throw;
        }

        return offloadd;
    }

    /// <summary>Sends SIGTERM and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        Process.Signal(UnixSignal.Terminate);
        return await Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        Process.Dispose();
        _ownedDirectory?.Dispose();
    }
}
