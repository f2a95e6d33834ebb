using Offload.Contracts.Management;
using Offload.Host.Live;
using Offload.Host.Nics;

namespace Offload.Host.Management;

/// <summary><c>GET /v1/nics</c>: every configured NIC endpoint, connected or not.</summary>
internal static class NicsEndpoint
{
    internal static NicsDocument Build(NicRegistry registry, NicLiveRegistry live, DateTimeOffset now)
    {
        var rows = new List<NicRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nic in registry.Snapshot())
        {
            var state = FindByEndpoint(live, nic.Endpoint);
            seen.Add(nic.Endpoint);
            var (cpu, telemetry) = CpuOf(state);
            rows.Add(new NicRow(
                nic.BoardId, nic.FirmwareVersion, nic.ProtocolVersion, nic.Endpoint, true, nic.ConnectedSince,
                nic.HeartbeatRtt?.TotalMilliseconds, state?.LastSeen, state?.MessagesReceived ?? 0, cpu, telemetry));
        }

        foreach (var state in live.Snapshot())
        {
            if (seen.Add(state.Endpoint))
            {
                rows.Add(new NicRow(state.BoardId, state.FirmwareVersion, 0, state.Endpoint, false, null, null, state.LastSeen, state.MessagesReceived));
            }
        }

        return new NicsDocument(ManagementApi.NicsSchema, now, rows);
    }

    /// <summary>nic-fw's CPU and its telemetry thread's over the last flow metadata period, in percent of one core
    /// (null without a period yet; the telemetry share null from a firmware that sends 0 for it).</summary>
    internal static (double? Cpu, double? Telemetry) CpuOf(NicLiveState? state)
    {
        if (state?.Flows is not { } flows)
        {
            return (null, null);
        }

        var totals = flows.Totals;
        return (Math.Round(totals.CpuNanosPerSecond / 1e7, 2),
            totals.TelemetryCpuNanosPerSecond > 0 ? Math.Round(totals.TelemetryCpuNanosPerSecond / 1e7, 2) : null);
    }

    internal static IResult Handle(NicRegistry registry, NicLiveRegistry live, TimeProvider time) =>
        Results.Json(Build(registry, live, time.GetUtcNow()), ManagementJsonContext.Default.NicsDocument);

    private static NicLiveState? FindByEndpoint(NicLiveRegistry live, string endpoint)
    {
        foreach (var state in live.Snapshot())
        {
            if (string.Equals(state.Endpoint, endpoint, StringComparison.Ordinal))
            {
                return state;
            }
        }

        return null;
    }
}
