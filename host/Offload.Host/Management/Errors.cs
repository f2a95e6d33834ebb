using Offload.Contracts.Management;

namespace Offload.Host.Management;

/// <summary>Error answers of the management API (an <see cref="ErrorDocument"/> with a stable code).</summary>
internal static class Errors
{
    internal static IResult BadRequest(string message) => Error("bad_request", message, StatusCodes.Status400BadRequest);

    internal static IResult NotFound(string message) => Error("not_found", message, StatusCodes.Status404NotFound);

    internal static IResult Unavailable(string message) => Error("unavailable", message, StatusCodes.Status503ServiceUnavailable);

    internal static IResult Timeout(string message) => Error("timeout", message, StatusCodes.Status504GatewayTimeout);

    private static IResult Error(string code, string message, int status) =>
        Results.Json(new ErrorDocument(ManagementApi.ErrorSchema, code, message), ManagementJsonContext.Default.ErrorDocument, statusCode: status);
}
