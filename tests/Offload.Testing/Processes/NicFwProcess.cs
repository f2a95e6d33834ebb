namespace Offload.Testing.Processes;

/// <summary>A real nic-fw process; Start returns once it has logged that it started (event id 2000).</summary>
public sealed class NicFwProcess : IDisposable
{
    /// <summary>Text of nic-fw's "started" log event.</summary>
    public const string StartedText = "nic-fw started: board ";

    private readonly TempDirectory? _ownedDirectory;

    private NicFwProcess(ChildProcess process, TempDirectory? ownedDirectory)
    {
        Process = process;
        _ownedDirectory = ownedDirectory;
    }

    /// <summary>The running process.</summary>
    public ChildProcess Process { get; }

    /// <summary>Starts nic-fw with <paramref name="arguments"/> (for example <c>--Nic:BoardId=qemu-7</c>) and waits until it has started.</summary>
    public static async Task<NicFwProcess> StartAsync(params string[] arguments)
    {
        // Unless the test names the mailbox endpoint, listen on a private Unix socket: tests run in parallel, and the
        // default 127.0.0.1:7420 would collide (or be found by another test's offloadd).
        TempDirectory? owned = null;
        if (!arguments.Any(a => a.StartsWith("--Mailbox:Endpoint=", StringComparison.Ordinal)))
        {
            owned = new TempDirectory();
            arguments = [$"--Mailbox:Endpoint=unix://{owned.File("nic.sock")}", .. arguments];
        }

        var process = ChildProcess.Start(RepositoryLayout.NicFw, arguments);
        var nic = new NicFwProcess(process, owned);
        try
        {
            await process.WaitForOutputAsync(StartedText, OffloaddProcess.StartTimeout);
        }
        catch
        {
            nic.Dispose();
            throw;
        }

        return nic;
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
