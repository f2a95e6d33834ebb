using Offload.Contracts.Management;
using Offload.Contracts.Messages;
using Offload.Host.Live;

namespace Offload.Host.Management;

/// <summary><c>GET /v1/queues</c>: SQ/CQ occupancy per application queue pair from each NIC's latest report.</summary>
internal static class QueuesEndpoint
{
    internal static QueuesDocument Build(NicLiveRegistry live, DateTimeOffset now)
    {
        var rows = new List<QueueRow>();
        foreach (var state in live.Snapshot())
        {
            if (state.Session is null || state.Occupancy is not { } occupancy)
            {
                continue;
            }

            var reportedAt = DateTimeOffset.FromUnixTimeMilliseconds(occupancy.TimestampUnixNanos / 1_000_000);
            var entries = occupancy.Entries.ToArray();
            Array.Sort(entries, static (a, b) => a.Application.Value != b.Application.Value
                ? a.Application.Value.CompareTo(b.Application.Value)
                : a.Queue.Value.CompareTo(b.Queue.Value));
            foreach (var e in entries)
            {
                rows.Add(new QueueRow(
                    state.BoardId ?? state.Endpoint, e.Application.ToString(), e.Application.Value, e.Queue.Value,
                    e.SqDepth, e.SqSize, Math.Round(e.SqAverage, 3), LevelText(e.SqLevel),
                    e.CqDepth, e.CqSize, Math.Round(e.CqAverage, 3), LevelText(e.CqLevel), reportedAt));
            }
        }

        return new QueuesDocument(ManagementApi.QueuesSchema, now, rows);
    }

    internal static IResult Handle(NicLiveRegistry live, TimeProvider time) =>
        Results.Json(Build(live, time.GetUtcNow()), ManagementJsonContext.Default.QueuesDocument);

    internal static string LevelText(OccupancyLevel level) => level switch
    {
        OccupancyLevel.Low => "low",
        OccupancyLevel.Medium => "medium",
        OccupancyLevel.High => "high",
        _ => "unknown",
    };
}
