using Offload.Contracts.Management;

namespace Offload.Host.Management;

/// <summary>Maps the operator-view routes: nics, queues, live tenants, flows, capture, logs and <c>/metrics</c>.</summary>
internal static class OperatorApiEndpoints
{
    internal static void MapOperatorApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ManagementApi.NicsRoute, NicsEndpoint.Handle);
        endpoints.MapGet(ManagementApi.QueuesRoute, QueuesEndpoint.Handle);
        endpoints.MapGet(ManagementApi.ConnectionsRoute, ConnectionsEndpoint.Handle);
        endpoints.MapGet(ManagementApi.LiveRoute, LiveEndpoint.Handle);
        endpoints.MapGet(ManagementApi.FlowsRoute, FlowsEndpoint.HandleAsync);
        endpoints.MapPost(ManagementApi.CaptureRoute, CaptureEndpoint.HandleAsync);
        endpoints.MapGet(ManagementApi.LogsRoute, LogsEndpoint.Handle);
        endpoints.MapGet(ManagementApi.MetricsRoute, MetricsEndpoint.Handle);
    }
}
