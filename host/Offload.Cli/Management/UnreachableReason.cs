namespace Offload.Cli.Management;

/// <summary>Why offloadctl could not talk to offloadd.</summary>
internal enum UnreachableReason
{
    /// <summary>The socket file is missing or nobody accepts on it (ENOENT, ECONNREFUSED).</summary>
    NotRunning,

    /// <summary>The caller may not connect to the socket (EACCES, EPERM).</summary>
    PermissionDenied,

    /// <summary>Connected (or tried to) but offloadd did not answer in time.</summary>
    Timeout,

    /// <summary>Any other socket failure.</summary>
    Other,
}
