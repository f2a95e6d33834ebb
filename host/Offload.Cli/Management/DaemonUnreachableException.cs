namespace Offload.Cli.Management;

/// <summary>offloadd could not be reached; <see cref="Exception.Message"/> is the one line offloadctl prints.</summary>
public sealed class DaemonUnreachableException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public DaemonUnreachableException()
        : base("offloadd could not be reached")
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    public DaemonUnreachableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public DaemonUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal DaemonUnreachableException(UnreachableReason reason, string socketPath, Exception? innerException)
        : base(Describe(reason, socketPath, innerException), innerException)
    {
        Reason = reason;
    }

    /// <summary>Why offloadd was unreachable.</summary>
    internal UnreachableReason Reason { get; } = UnreachableReason.Other;

    private static string Describe(UnreachableReason reason, string socketPath, Exception? inner) => reason switch
    {
        UnreachableReason.NotRunning =>
            $"offloadd is not running at {socketPath} (start it with: systemctl start offloadd)",
        UnreachableReason.PermissionDenied =>
            $"permission denied on {socketPath}: run as root or as a member of the socket's group (offloadd's Management:SocketGroup)",
        UnreachableReason.Timeout =>
            $"offloadd at {socketPath} did not answer in time (check it with: systemctl status offloadd)",
        _ => $"cannot connect to offloadd at {socketPath}: {inner?.Message ?? "unknown error"}",
    };
}
