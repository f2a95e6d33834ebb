namespace Offload.Host.Management;

/// <summary>
/// The management socket cannot be set up (path is not a socket, another offloadd owns it, the group cannot be
/// applied). The message is one operator-facing line naming the object, the problem and the remedy.
/// </summary>
public sealed class ManagementStartupException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ManagementStartupException()
        : base("The management socket could not be set up.")
    {
    }

    /// <summary>Creates the exception with an operator-facing message.</summary>
    public ManagementStartupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an operator-facing message and the underlying cause.</summary>
    public ManagementStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
