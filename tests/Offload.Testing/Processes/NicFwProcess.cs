namespace Offload.Testing.Processes;

/// <summary>A real nic-fw process; Start returns once it has logged that it started (event id 2000).</summary>
public sealed class NicFwProcess : IDisposable
{
    /// <summary>Text of nic-fw's "started" log event.</summary>
    public const string StartedText = "nic-fw started: board ";

    private NicFwProcess(ChildProcess process) => Process = process;

    /// <summary>The running process.</summary>
    public ChildProcess Process { get; }

    /// <summary>Starts nic-fw with <paramref name="arguments"/> (for example <c>--Nic:BoardId=qemu-7</c>) and waits until it has started.</summary>
    public static async Task<NicFwProcess> StartAsync(params string[] arguments)
    {
        var process = ChildProcess.Start(RepositoryLayout.NicFw, arguments);
        var nic = new NicFwProcess(process);
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

    public void Dispose() => Process.Dispose();
}
