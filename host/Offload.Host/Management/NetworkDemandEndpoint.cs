using Offload.Contracts.Management;
using Offload.Host.Loop;

namespace Offload.Host.Management;

/// <summary><c>GET /v1/network/demand</c>: the network controller's aggregate (404 when it is off).</summary>
internal static class NetworkDemandEndpoint
{
    internal static IResult Handle(ControlLoopRegistry loops) => loops.Network is { } network
        ? Results.Json(network.Snapshot(), ManagementJsonContext.Default.NetworkDemandDocument)
        : Results.Json(
            new ErrorDocument(ManagementApi.ErrorSchema, "network_controller_disabled",
                "offloadd does not aggregate network demand (NetworkController:Enabled is false); enable it in /etc/offload/offloadd.json and restart offloadd"),
            ManagementJsonContext.Default.ErrorDocument, statusCode: StatusCodes.Status404NotFound);
}
