using Offload.Contracts.Management;
using Offload.Contracts.Messages;
using Offload.Host.Live;
using Offload.Host.Loop;

namespace Offload.Host.Management;

/// <summary>
/// <c>GET /v1/tenants/live</c>: per application and NIC, the figures <c>offloadctl watch</c> shows: command rate and
/// bandwidth and p99 latency (flow metadata), SQ/CQ occupancy (occupancy report), rate and state (control loop).
/// </summary>
internal static class LiveEndpoint
{
    internal static LiveDocument Build(NicLiveRegistry live, ControlLoopRegistry? loops, DateTimeOffset now)
    {
        var rows = new List<TenantLive>();
        int connected = 0;
        foreach (var state in live.Snapshot())
        {
            if (state.Session is null)
            {
                continue;
            }

            connected++;
            var apps = new SortedDictionary<uint, Accumulator>();
            if (state.Occupancy is { } occupancy)
            {
                foreach (var e in occupancy.Entries)
                {
                    var a = Get(apps, e.Application.Value);
                    a.SqDepth += e.SqDepth;
                    a.SqAverage += e.SqAverage;
                    a.SqLevel = Max(a.SqLevel, e.SqLevel);
                    a.CqDepth += e.CqDepth;
                    a.CqAverage += e.CqAverage;
                    a.CqLevel = Max(a.CqLevel, e.CqLevel);
                }
            }

            if (state.Flows is { } flows)
            {
                foreach (var f in flows.Flows)
                {
                    if (f.Kind != FlowRecordKind.Application)
                    {
                        continue; // per-connection records are already in their application's record
                    }

                    var a = Get(apps, f.Application.Value);
                    a.Iops += f.ReadRateWindow + f.WriteRateWindow;
                    a.BytesPerSecond += f.BitRate / 8;
                    a.P99Us = Math.Max(a.P99Us, f.LatencyP99Nanos / 1000.0);
                }
            }

            var output = loops is not null && loops.TryGet(state.Endpoint, out var loop) ? loop.LastOutput : null;
            foreach (var (id, a) in apps)
            {
                double? limit = null;
                string status = "unmanaged";
                if (output is not null)
                {
                    foreach (var rate in output.Rates)
                    {
                        if (rate.Application.Value == id)
                        {
                            limit = Math.Round(rate.Rate, 1);
                            status = rate.Congested ? "congested" : rate.Rule.ToString().ToLowerInvariant();
                            break;
                        }
                    }
                }

                rows.Add(new TenantLive(
                    state.BoardId ?? state.Endpoint, "app" + id.ToString(System.Globalization.CultureInfo.InvariantCulture), id,
                    Math.Round(a.Iops, 1), Math.Round(a.BytesPerSecond, 1), a.P99Us > 0 ? Math.Round(a.P99Us, 1) : null,
                    a.SqDepth, Math.Round(a.SqAverage, 3), QueuesEndpoint.LevelText(a.SqLevel),
                    a.CqDepth, Math.Round(a.CqAverage, 3), QueuesEndpoint.LevelText(a.CqLevel), limit, status));
            }
        }

        return new LiveDocument(ManagementApi.LiveSchema, now, connected, rows);
    }

    internal static IResult Handle(NicLiveRegistry live, TimeProvider time, IServiceProvider services) =>
        Results.Json(Build(live, services.GetService<ControlLoopRegistry>(), time.GetUtcNow()), ManagementJsonContext.Default.LiveDocument);

    private static Accumulator Get(SortedDictionary<uint, Accumulator> apps, uint id)
    {
        if (!apps.TryGetValue(id, out var a))
        {
            a = new Accumulator();
            apps[id] = a;
        }

        return a;
    }

    private static OccupancyLevel Max(OccupancyLevel a, OccupancyLevel b) => a >= b ? a : b;

    private sealed class Accumulator
    {
        public double Iops;
        public double BytesPerSecond;
        public double P99Us;
        public uint SqDepth;
        public double SqAverage;
        public OccupancyLevel SqLevel;
        public uint CqDepth;
        public double CqAverage;
        public OccupancyLevel CqLevel;
    }
}
