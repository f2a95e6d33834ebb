namespace Offload.Contracts.Management;

/// <summary>Routes, schema names and defaults of offloadd's management API, shared by offloadd and offloadctl.</summary>
public static class ManagementApi
{
    /// <summary>Default path of the management Unix domain socket.</summary>
    public const string DefaultSocketPath = "/run/offload/offloadd.sock";

    /// <summary>Environment variable offloadctl reads for the socket path when <c>--socket</c> is not given.</summary>
    public const string SocketEnvironmentVariable = "OFFLOAD_SOCKET";

    /// <summary>Route of the status document.</summary>
    public const string StatusRoute = "/v1/status";

    /// <summary>Schema name carried in <see cref="StatusDocument.Schema"/>.</summary>
    public const string StatusSchema = "offload.status/v1";

    /// <summary>Route of the datapath counters document.</summary>
    public const string DatapathRoute = "/v1/datapath";

    /// <summary>Schema name carried in <see cref="DatapathDocument.Schema"/>.</summary>
    public const string DatapathSchema = "offload.datapath/v1";

    /// <summary>Schema name carried in <see cref="ErrorDocument.Schema"/>.</summary>
    public const string ErrorSchema = "offload.error/v1";
}
