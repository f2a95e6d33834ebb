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
            rows.Add(new NicRow(
                nic.BoardId, nic.FirmwareVersion, nic.ProtocolVersion, nic.Endpoint, true, nic.ConnectedSince,
                nic.HeartbeatRtt?.TotalMilliseconds, state?.LastSeen, state?.MessagesReceived ?? 0));
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
