namespace Offload.Cli.Management;

/// <summary>offloadd answered, but with an error (or with something offloadctl does not understand).</summary>
public sealed class ManagementApiException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ManagementApiException()
        : base("offloadd returned an error")
    {
    }

    /// <summary>Creates the exception with a one-line message.</summary>
    public ManagementApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public ManagementApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ManagementApiException(string message, int statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>HTTP status code of the answer; 0 when the answer itself was unusable.</summary>
    internal int StatusCode { get; }
}
