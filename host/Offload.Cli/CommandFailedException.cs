namespace Offload.Cli;

/// <summary>A command cannot do what was asked (unknown tenant, unreadable file, ...): one line and an exit code.</summary>
public sealed class CommandFailedException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public CommandFailedException()
        : base("the command failed")
    {
    }

    /// <summary>Creates the exception with a one-line message (exit code 1).</summary>
    public CommandFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause (exit code 1).</summary>
    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal CommandFailedException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>Exit code to return (see <see cref="ExitCodes"/>).</summary>
    internal int ExitCode { get; } = ExitCodes.Error;
}
