namespace Offload.Host.State;

/// <summary>A change was based on a revision that is no longer the current one (HTTP 409).</summary>
public sealed class DesiredStateConflictException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public DesiredStateConflictException()
        : base("the desired state changed concurrently")
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    public DesiredStateConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public DesiredStateConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal DesiredStateConflictException(long expected, long current)
        : base($"the desired state changed since revision {expected} (it is now {current}); nothing was changed: re-run 'offloadctl diff' and 'offloadctl apply' (or the command) against the current state")
    {
        Expected = expected;
        Current = current;
    }

    /// <summary>The revision the change was based on.</summary>
    public long Expected { get; }

    /// <summary>The current revision.</summary>
    public long Current { get; }
}
