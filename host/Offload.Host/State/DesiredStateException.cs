namespace Offload.Host.State;

/// <summary>The desired-state file could not be read or written; the message is one line for the operator.</summary>
public sealed class DesiredStateException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public DesiredStateException()
        : base("the desired-state file could not be used")
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    public DesiredStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public DesiredStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
