using System.Text;
using Offload.Contracts.Management;
using Offload.Host.Audit;

namespace Offload.Host.State;

/// <summary>
/// <c>GET /v1/state</c>, <c>PUT /v1/state</c> (replace; audited; 400 invalid, 409 stale revision, 500 not persisted)
/// and <c>POST /v1/state/diff</c> (compare; changes nothing).
/// </summary>
internal static class StateEndpoints
{
    /// <summary>Largest state document accepted.</summary>
    internal const int MaxBodySize = 4 << 20;

    internal static void MapStateApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ManagementApi.StateRoute, static (DesiredStateStore store) =>
            Results.Json(store.Snapshot(), ManagementJsonContext.Default.DesiredState));
        endpoints.MapPut(ManagementApi.StateRoute, PutAsync);
        endpoints.MapPost(ManagementApi.StateDiffRoute, DiffAsync);
        endpoints.MapGet(ManagementApi.RatesRoute, RatesEndpoint.Handle);
    }

    private static async Task<IResult> PutAsync(HttpContext context, DesiredStateStore store, AuditLog audit)
    {
        var (state, error) = await ReadAsync(context);
        if (state is null)
        {
            audit.Append(context, "replace desired state", StatusCodes.Status400BadRequest, error!.Message);
            return Error(StatusCodes.Status400BadRequest, error);
        }

        try
        {
            var result = store.Replace(state);
            audit.Append(context, Summarize(state.Revision, result), StatusCodes.Status200OK, result.Changes.Count == 0 ? "unchanged" : "applied");
            return Results.Json(result, ManagementJsonContext.Default.StateChangeDocument);
        }
        catch (DesiredStateConflictException ex)
        {
            audit.Append(context, $"replace desired state based on revision {ex.Expected}", StatusCodes.Status409Conflict, ex.Message);
            return Error(StatusCodes.Status409Conflict, new ErrorDocument(ManagementApi.ErrorSchema, "conflict", ex.Message));
        }
        catch (DesiredStateException ex)
        {
            audit.Append(context, "replace desired state", StatusCodes.Status500InternalServerError, ex.Message);
            return Error(StatusCodes.Status500InternalServerError, new ErrorDocument(ManagementApi.ErrorSchema, "state_not_saved", ex.Message));
        }
    }

    private static async Task<IResult> DiffAsync(HttpContext context, DesiredStateStore store)
    {
        var (state, error) = await ReadAsync(context);
        return state is null
            ? Error(StatusCodes.Status400BadRequest, error!)
            : Results.Json(store.Diff(state), ManagementJsonContext.Default.StateChangeDocument);
    }

    private static async Task<(DesiredState? State, ErrorDocument? Error)> ReadAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        var buffer = new byte[16384];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (body.Length + read > MaxBodySize)
            {
                return (null, new ErrorDocument(ManagementApi.ErrorSchema, "too_large", $"the state document is larger than {MaxBodySize} bytes; split it or remove unused entries"));
            }

            body.Write(buffer, 0, read);
        }

        if (!DesiredStateFile.TryParse(body.GetBuffer().AsSpan(0, (int)body.Length), out var state, out var problem))
        {
            return (null, new ErrorDocument(ManagementApi.ErrorSchema, "malformed_state", $"state document: {problem}; fix it and re-run"));
        }

        if (!DesiredStateValidator.TryValidate(state, out problem))
        {
            return (null, new ErrorDocument(ManagementApi.ErrorSchema, "invalid_state", problem + "; nothing was changed"));
        }

        return (state, null);
    }

    private static string Summarize(long basedOn, StateChangeDocument result)
    {
        var text = new StringBuilder();
        text.Append("replace desired state based on revision ").Append(basedOn).Append(" -> revision ").Append(result.Revision).Append(':');
        if (result.Changes.Count == 0)
        {
            text.Append(" no changes");
        }

        foreach (var c in result.Changes)
        {
            text.Append(' ').Append(c.Action).Append(' ').Append(c.Kind).Append(' ').Append(c.Name).Append(';');
            if (text.Length > 2000)
            {
                text.Append(" ...");
                break;
            }
        }

        return text.ToString();
    }

    private static IResult Error(int status, ErrorDocument error) =>
        Results.Json(error, ManagementJsonContext.Default.ErrorDocument, statusCode: status);
}
