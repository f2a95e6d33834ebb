using Offload.Contracts.Management;
using Offload.Host.State;

namespace Offload.Host.Management;

/// <summary>Maps the management API routes (JSON over HTTP on the management socket).</summary>
internal static class ManagementApiEndpoints
{
    /// <summary>Maps <c>/v1/*</c> and a JSON 404 for everything else.</summary>
    internal static void MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ManagementApi.StatusRoute, StatusEndpoint.Handle);
        endpoints.MapStateApi();
        endpoints.MapOperatorApi();
        endpoints.MapGet(TenantRoutes.HistoryRoute, TenantEndpoints.History);
        endpoints.MapGet(TenantRoutes.ExplainRoute, TenantEndpoints.Explain);
        endpoints.MapGet(NetworkRoutes.DemandRoute, NetworkDemandEndpoint.Handle);
        endpoints.MapGet(ManagementApi.DatapathRoute, DatapathEndpoint.Handle);
        endpoints.MapFallback(static (HttpContext context) => Results.Json(
            new ErrorDocument(
                ManagementApi.ErrorSchema,
                "not_found",
                $"{context.Request.Method} {context.Request.Path} is not a management API route; the routes are listed in host/Offload.Host/README.md."),
            ManagementJsonContext.Default.ErrorDocument,
            statusCode: StatusCodes.Status404NotFound));
    }
}
