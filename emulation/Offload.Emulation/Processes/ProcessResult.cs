namespace Offload.Emulation.Processes;

/// <summary>Outcome of one child process run to completion (or killed at its timeout).</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    /// <summary>True when the process exited on its own with status 0.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
