using Offload.Contracts.Ids;
using Offload.Contracts.Messages;

namespace Offload.Controller.Telemetry;

/// <summary>
/// Everything the policy sees in one control period: per-application samples plus node totals. Built from
/// the wire messages with <see cref="FromMessages"/>, or directly by a simulator.
/// </summary>
public sealed class TelemetrySnapshot
{
    private const double CapsuleSize = 72; // NVMe/TCP command capsule: 8-byte PDU header + 64-byte SQE

    private readonly Dictionary<AppId, AppSample> _byApp = [];

    /// <summary>Applications in the order they were first added (deterministic).</summary>
    public List<AppSample> Applications { get; } = [];

    /// <summary>Node totals of the period.</summary>
    public NodeTotals Totals { get; set; }

    /// <summary>Length of the period the rates cover, ns.</summary>
    public long PeriodNanos { get; set; }

    /// <summary>The flow metadata's timestamp (<see cref="FlowMetadataBatch.TimestampUnixNanos"/>; 0 when unknown): a
    /// snapshot with the same flow metadata as the policy's previous evaluation (a threshold report between two
    /// periods) measures nothing new.</summary>
    public long FlowsTimestampUnixNanos { get; set; }

    /// <summary>Returns the sample for <paramref name="application"/>, adding an empty one if needed.</summary>
    public AppSample GetOrAdd(AppId application)
    {
        if (!_byApp.TryGetValue(application, out var sample))
        {
            sample = new AppSample(application);
            _byApp.Add(application, sample);
            Applications.Add(sample);
        }

        return sample;
    }

    /// <summary>Finds the sample for <paramref name="application"/>.</summary>
    public bool TryGet(AppId application, out AppSample sample)
    {
        if (_byApp.TryGetValue(application, out var found))
        {
            sample = found;
            return true;
        }

        sample = null!;
        return false;
    }

    /// <summary>
    /// Aggregates a <see cref="FlowMetadataBatch"/> (rates, sizes, latency) and a <see cref="QueueOccupancy"/>
    /// report (queue depths and levels) per application. Either may be null. Only application records
    /// (<see cref="FlowRecordKind.Application"/>) are summed: each already includes its connections, whose
    /// per-connection records (<see cref="FlowRecordKind.Connection"/>) are for operators and are skipped here. Write size is derived from the
    /// completed read/write bytes/s (FlowRecord keys 26/27) divided by the request rates; from a sender that
    /// does not fill them, write size is derived from the received bit rate and read size is taken as 4 KiB.
    /// </summary>
    public static TelemetrySnapshot FromMessages(FlowMetadataBatch? flows, QueueOccupancy? occupancy)
    {
        var snapshot = new TelemetrySnapshot();
        if (flows is not null)
        {
            snapshot.PeriodNanos = flows.PeriodNanos;
            snapshot.FlowsTimestampUnixNanos = flows.TimestampUnixNanos;
            snapshot.Totals = flows.Totals;
            var bytesIn = new Dictionary<AppId, double>();
            var completed = new Dictionary<AppId, (double Read, double Write)>();
            foreach (var flow in flows.Flows)
            {
                if (flow.Kind != FlowRecordKind.Application)
                {
                    continue; // connection records are already inside their application's record
                }

                var s = snapshot.GetOrAdd(flow.Application);
                s.ReadRate += flow.ReadRateWindow;
                s.WriteRate += flow.WriteRateWindow;
                s.LatencyP99Nanos = Math.Max(s.LatencyP99Nanos, flow.LatencyP99Nanos);
                bytesIn[flow.Application] = bytesIn.GetValueOrDefault(flow.Application) + (flow.BitRate / 8.0);
                var done = completed.GetValueOrDefault(flow.Application);
                completed[flow.Application] = (done.Read + flow.ReadBytesRate, done.Write + flow.WriteBytesRate);
                if (occupancy is null)
                {
                    s.SqDepth += flow.SqDepth;
                    s.SqAverage += flow.SqAverage;
                    s.SqLevel = Max(s.SqLevel, flow.SqLevel);
                    s.CqDepth += flow.CqDepth;
                    s.CqAverage += flow.CqAverage;
                    s.CqLevel = Max(s.CqLevel, flow.CqLevel);
                }
            }

            foreach (var s in snapshot.Applications)
            {
                var bytes = completed.GetValueOrDefault(s.Application);
                if (s.ReadRate > 0 && bytes.Read > 0)
                {
                    s.ReadSize = Math.Clamp(bytes.Read / s.ReadRate, 512, 1 << 20);
                }

                if (s.WriteRate > 0 && bytes.Write > 0)
                {
                    s.WriteSize = Math.Clamp(bytes.Write / s.WriteRate, 512, 1 << 20);
                }
                else if (s.WriteRate > 0 && bytesIn.TryGetValue(s.Application, out double b))
                {
                    double payload = (b - ((s.ReadRate + s.WriteRate) * CapsuleSize)) / s.WriteRate;
                    s.WriteSize = Math.Clamp(payload, 512, 1 << 20);
                }
            }
        }

        if (occupancy is not null)
        {
            if (flows is null)
            {
                snapshot.Totals = occupancy.Totals;
            }

            foreach (var q in occupancy.Entries)
            {
                var s = snapshot.GetOrAdd(q.Application);
                s.SqDepth += q.SqDepth;
                s.SqAverage += q.SqAverage;
                s.SqWindowAverage += q.SqWindowAverage;
                s.SqLevel = Max(s.SqLevel, q.SqLevel);
                s.CqDepth += q.CqDepth;
                s.CqAverage += q.CqAverage;
                s.CqLevel = Max(s.CqLevel, q.CqLevel);
            }
        }

        return snapshot;
    }

    private static OccupancyLevel Max(OccupancyLevel a, OccupancyLevel b) => a >= b ? a : b;
}
