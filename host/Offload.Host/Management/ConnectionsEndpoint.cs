using Offload.Contracts.Management;
using Offload.Contracts.Messages;
using Offload.Host.Live;

namespace Offload.Host.Management;

/// <summary><c>GET /v1/queues/connections</c>: one row per NVMe/TCP I/O connection (5-tuple) from each NIC's latest
/// flow metadata period (the first batch and its continuation parts).</summary>
internal static class ConnectionsEndpoint
{
    internal static ConnectionsDocument Build(NicLiveRegistry live, DateTimeOffset now)
    {
        var rows = new List<ConnectionRow>();
        foreach (var state in live.Snapshot())
        {
            if (state.Session is null || state.Flows is not { } head)
            {
                continue;
            }

            var nic = state.BoardId ?? state.Endpoint;
            var start = rows.Count;
            Add(rows, nic, head);
            foreach (var part in state.FlowParts)
            {
                Add(rows, nic, part);
            }

            rows.Sort(start, rows.Count - start, Comparer<ConnectionRow>.Create(static (a, b) => a.Application != b.Application
                ? a.Application.CompareTo(b.Application)
                : a.SourcePort.CompareTo(b.SourcePort)));
        }

        return new ConnectionsDocument(ManagementApi.ConnectionsSchema, now, rows);
    }

    internal static IResult Handle(NicLiveRegistry live, TimeProvider time) =>
        Results.Json(Build(live, time.GetUtcNow()), ManagementJsonContext.Default.ConnectionsDocument);

    private static void Add(List<ConnectionRow> rows, string nic, FlowMetadataBatch batch)
    {
        var reportedAt = DateTimeOffset.FromUnixTimeMilliseconds(batch.TimestampUnixNanos / 1_000_000);
        foreach (var f in batch.Flows)
        {
            if (f.Kind != FlowRecordKind.Connection)
            {
                continue;
            }

            rows.Add(new ConnectionRow(
                nic, f.Application.ToString(), f.Application.Value, f.FlowId,
                f.Source.ToString(), f.SourcePort, f.Destination.ToString(), f.DestinationPort, f.Protocol,
                Math.Round(f.ReadRateWindow, 1), Math.Round(f.WriteRateWindow, 1),
                Math.Round(f.ReadBytesRate / 1e6, 3), Math.Round(f.WriteBytesRate / 1e6, 3),
                Math.Round(f.PacketRate, 1), f.CpuNanosPerSecond,
                f.SqDepth, Math.Round(f.SqAverage, 3), QueuesEndpoint.LevelText(f.SqLevel),
                f.CqDepth, Math.Round(f.CqAverage, 3), QueuesEndpoint.LevelText(f.CqLevel),
                f.LatencyP50Nanos / 1000.0, f.LatencyP99Nanos / 1000.0, f.LatencyP999Nanos / 1000.0, reportedAt));
        }
    }
}
