using Offload.Contracts.Management;
using Offload.Host.Nics;

namespace Offload.Host.Management;

/// <summary><c>GET /v1/status</c>: offloadd's uptime and every connected NIC.</summary>
internal static class StatusEndpoint
{
    /// <summary>Builds the status document from a registry snapshot at <paramref name="now"/>.</summary>
    internal static StatusDocument Build(DaemonInfo daemon, IReadOnlyList<NicInfo> nics, DateTimeOffset now)
    {
        var rows = new NicStatus[nics.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var nic = nics[i];
            rows[i] = new NicStatus(
                nic.BoardId,
                nic.FirmwareVersion,
                nic.ProtocolVersion,
                nic.Endpoint,
                nic.ConnectedSince,
                nic.HeartbeatRtt?.TotalMilliseconds,
                nic.Capabilities);
        }

        var uptime = now - daemon.StartedAt;
        var uptimeSeconds = uptime <= TimeSpan.Zero ? 0 : (long)uptime.TotalSeconds;
        return new StatusDocument(ManagementApi.StatusSchema, uptimeSeconds, daemon.StartedAt, daemon.Version, rows);
    }

    internal static IResult Handle(DaemonInfo daemon, NicRegistry registry, TimeProvider time) =>
        Results.Json(Build(daemon, registry.Snapshot(), time.GetUtcNow()), ManagementJsonContext.Default.StatusDocument);
}
