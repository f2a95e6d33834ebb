using Offload.Contracts.Messages;
using WireLevel = Offload.Contracts.Messages.OccupancyLevel;

namespace Offload.Nic.Telemetry;

/// <summary>
/// Builds the node's <see cref="NetworkSummary"/> (demand per application, named by host NQN so a network controller
/// can sum a tenant across nodes) from the period's flow metadata and occupancy. Reuses its message; single-threaded
/// (the reporter loop).
/// </summary>
internal sealed class NetworkSummaryBuilder(string node, AppDirectory apps)
{
    private readonly NetworkSummary _message = new() { Node = node };

    public NetworkSummary Build(FlowMetadataBatch flows, QueueOccupancy occupancy)
    {
        var demand = _message.Demand;
        demand.Clear();
        foreach (var f in flows.Flows)
        {
            if (f.Kind != FlowRecordKind.Application)
            {
                continue;
            }

            demand.Add(new DemandEntry
            {
                Application = f.Application,
                HostNqn = apps.TryGetApp(f.Application, out var app) ? app.HostNqn : "",
                ReadRate = f.ReadRate,
                WriteRate = f.WriteRate,
                BitRate = f.BitRate,
                SharedMemorySize = f.SharedMemorySize,
                SqLevel = SqLevelOf(occupancy, f.Application),
            });
        }

        _message.TimestampUnixNanos = flows.TimestampUnixNanos;
        _message.PeriodNanos = flows.PeriodNanos;
        _message.Totals = flows.Totals;
        return _message;
    }

    private static WireLevel SqLevelOf(QueueOccupancy occupancy, Offload.Contracts.Ids.AppId application)
    {
        var level = WireLevel.Low;
        foreach (var e in occupancy.Entries)
        {
            if (e.Application == application && e.SqLevel > level)
            {
                level = e.SqLevel;
            }
        }

        return level;
    }
}
