using System.Globalization;
using Offload.Contracts.Management;
using Offload.Host.Logs;

namespace Offload.Host.Management;

/// <summary><c>GET /v1/logs?since=&amp;level=&amp;max=</c>: recent records from the in-memory log ring.</summary>
internal static class LogsEndpoint
{
    /// <summary>Most records one answer carries.</summary>
    internal const int MaxRecords = 1000;

    internal static IResult Handle(HttpContext context, LogRing ring)
    {
        var query = context.Request.Query;
        long since = 0;
        if (query.TryGetValue("since", out var sinceText) && !long.TryParse(sinceText, NumberStyles.None, CultureInfo.InvariantCulture, out since))
        {
            return Errors.BadRequest($"since='{sinceText}' is not a sequence number; pass the 'next' value of a previous answer, or omit it.");
        }

        if (!LogRing.TryParseLevel(query["level"], out var level))
        {
            return Errors.BadRequest($"level='{query["level"]}' is unknown; use trace, debug, information, warning, error or critical.");
        }

        int max = MaxRecords;
        if (query.TryGetValue("max", out var maxText) && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > MaxRecords))
        {
            return Errors.BadRequest($"max='{maxText}' must be 1 to {MaxRecords}.");
        }

        var records = ring.Read(since, level, max, out long next, out long dropped);
        return Results.Json(new LogsDocument(ManagementApi.LogsSchema, next, dropped, records), ManagementJsonContext.Default.LogsDocument);
    }
}
