using Offload.Contracts.Management;
using Offload.Controller.Prediction;
using Offload.Host.Loop;

namespace Offload.Host.Management;

/// <summary><c>GET /v1/tenants/{tenant}/history</c> and <c>/explain</c>: a tenant (host NQN) is known when a NIC
/// reported it or the history database holds it; otherwise 404 with a line that says what to check.</summary>
internal static class TenantEndpoints
{
    internal const int DefaultHistoryCount = 60;
    internal const int DefaultExplainCount = 10;

    internal static IResult History(string tenant, int? count, ControlLoopRegistry loops)
    {
        if (!TryCount(count, DefaultHistoryCount, out int n, out var bad))
        {
            return bad;
        }

        if (loops.History is not { } history)
        {
            return Error(StatusCodes.Status404NotFound, "history_disabled",
                "offloadd keeps no history (History:Enabled is false); enable it in /etc/offload/offloadd.json and restart offloadd");
        }

        bool live = IsLive(loops, tenant);
        if (!history.TryGetTenant(tenant, out var id))
        {
            return live
                ? Results.Json(new HistoryDocument(TenantRoutes.HistorySchema, tenant, history.Path, null, []), ManagementJsonContext.Default.HistoryDocument)
                : UnknownTenant(tenant);
        }

        var rows = history.ReadRollups(id, n);
        var table = new HistoryRollupRow[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            table[i] = new HistoryRollupRow(r.Start, r.IsHourly ? "hour" : "minute", r.PeakCostRate, r.MeanCostRate, r.ReadFraction, r.SampleCount);
        }

        HistoryPrediction? prediction = history.TryGetProfile(id, out DemandProfile p)
            ? new HistoryPrediction(p.PredictedPeak, p.ReadFraction, p.RollupCount)
            : null;
        return Results.Json(new HistoryDocument(TenantRoutes.HistorySchema, tenant, history.Path, prediction, table), ManagementJsonContext.Default.HistoryDocument);
    }

    internal static IResult Explain(string tenant, int? count, ControlLoopRegistry loops)
    {
        if (!TryCount(count, DefaultExplainCount, out int n, out var bad))
        {
            return bad;
        }

        var decisions = new List<ExplainDecision>();
        bool known = false;
        foreach (var loop in loops.Loops)
        {
            if (!loop.TryGetApplication(tenant, out var app))
            {
                continue;
            }

            known = true;
            foreach (var d in loop.Explain(app, n))
            {
                decisions.Add(new ExplainDecision(d.At, loop.Endpoint, app.Value, d.Rule.ToString(), d.OldRate, d.NewRate, d.MeasuredRate,
                    d.Demand, d.CapacityEstimate, d.SqLevel.ToString(), d.CqLevel.ToString(), d.Weight, d.Describe()));
            }
        }

        if (!known && !(loops.History?.TryGetTenant(tenant, out _) ?? false))
        {
            return UnknownTenant(tenant);
        }

        decisions.Sort(static (a, b) => a.At.CompareTo(b.At));
        if (decisions.Count > n)
        {
            decisions.RemoveRange(0, decisions.Count - n);
        }

        return Results.Json(new ExplainDocument(TenantRoutes.ExplainSchema, tenant, decisions), ManagementJsonContext.Default.ExplainDocument);
    }

    private static bool IsLive(ControlLoopRegistry loops, string tenant)
    {
        foreach (var loop in loops.Loops)
        {
            if (loop.TryGetApplication(tenant, out _))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryCount(int? count, int fallback, out int n, out IResult bad)
    {
        n = count ?? fallback;
        bad = Results.Empty;
        if (n is >= 1 and <= TenantRoutes.MaxCount)
        {
            return true;
        }

        bad = Error(StatusCodes.Status400BadRequest, "bad_count", $"count {n} is out of range; give a count from 1 to {TenantRoutes.MaxCount}");
        return false;
    }

    private static IResult UnknownTenant(string tenant) => Error(StatusCodes.Status404NotFound, "unknown_tenant",
        $"tenant '{tenant}' is unknown: no NIC reported it and the history has no record of it; check the host NQN the initiator connects with (offloadctl status lists the NICs)");

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new ErrorDocument(ManagementApi.ErrorSchema, code, message), ManagementJsonContext.Default.ErrorDocument, statusCode: status);
}
