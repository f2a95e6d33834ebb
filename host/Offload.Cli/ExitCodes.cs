namespace Offload.Cli;

/// <summary>offloadctl's documented exit codes (README.md, "Exit codes"). Never renumbered.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    internal const int Ok = 0;

    /// <summary>offloadd answered with an error, or something else went wrong.</summary>
    internal const int Error = 1;

    /// <summary>The command line could not be parsed (unknown command or option, bad value).</summary>
    internal const int Usage = 2;

    /// <summary>offloadd could not be reached: not running, socket missing, permission denied, no answer.</summary>
    internal const int DaemonUnreachable = 3;

    /// <summary>The change conflicts with the daemon's current state (used by mutating commands).</summary>
    internal const int Conflict = 4;
}
