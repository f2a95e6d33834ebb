using Offload.Contracts.Ids;
using Offload.Contracts.Management;
using Offload.Host.Loop;

namespace Offload.Host.State;

/// <summary><c>GET /v1/rates</c>: each NIC's current per-application rates, with tenants and pins from the state.</summary>
internal static class RatesEndpoint
{
    internal static IResult Handle(DesiredStateStore store, ControlLoopRegistry loops) =>
        Results.Json(Build(store.Snapshot(), loops.Loops), ManagementJsonContext.Default.RatesDocument);

    internal static RatesDocument Build(DesiredState state, IReadOnlyCollection<NicControlLoop> loops)
    {
        var tenants = new Dictionary<uint, string>();
        foreach (var t in state.Tenants)
        {
            tenants[t.Application] = t.Name;
        }

        var rows = new List<RateRow>();
        foreach (var loop in loops.OrderBy(l => l.Endpoint, StringComparer.Ordinal))
        {
            var seen = new HashSet<uint>();
            if (loop.LastOutput is { } output)
            {
                foreach (var rate in output.Rates)
                {
                    var entry = rate.ToRateEntry();
                    var pinned = loop.TryGetPin(rate.Application, out var pin);
                    if (pinned)
                    {
                        entry = pin;
                    }

                    seen.Add(rate.Application.Value);
                    rows.Add(new RateRow(loop.Endpoint, rate.Application.Value, tenants.GetValueOrDefault(rate.Application.Value),
                        entry.IopsLimit, entry.BytesPerSecondLimit, pinned, pinned ? "pinned" : rate.Rule.ToString()));
                }
            }

            foreach (var p in state.PinnedRates)
            {
                var tenant = state.Tenants.Find(t => t.Name == p.Tenant);
                if (tenant is not null && !seen.Contains(tenant.Application) && loop.TryGetPin(new AppId(tenant.Application), out var pin))
                {
                    rows.Add(new RateRow(loop.Endpoint, tenant.Application, tenant.Name, pin.IopsLimit, pin.BytesPerSecondLimit, true, "pinned"));
                }
            }
        }

        rows.Sort(static (a, b) => string.CompareOrdinal(a.Nic, b.Nic) is var c && c != 0 ? c : a.Application.CompareTo(b.Application));
        return new RatesDocument(ManagementApi.RatesSchema, state.Revision, rows);
    }
}
