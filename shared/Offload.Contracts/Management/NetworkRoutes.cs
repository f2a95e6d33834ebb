namespace Offload.Contracts.Management;

/// <summary>Route and schema of offloadd's network controller document.</summary>
public static class NetworkRoutes
{
    /// <summary><c>GET /v1/network/demand</c>: demand summed across every NIC offloadd is connected to.</summary>
    public const string DemandRoute = "/v1/network/demand";

    /// <summary>Schema name carried in <see cref="NetworkDemandDocument.Schema"/>.</summary>
    public const string DemandSchema = "offload.network-demand/v1";
}
