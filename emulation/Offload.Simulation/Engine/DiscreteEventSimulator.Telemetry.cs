using System.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Controller.Policy;
using Offload.Controller.Telemetry;

namespace Offload.Simulation.Engine;

internal sealed partial class DiscreteEventSimulator
{
    private const double CapsuleSize = 72;

    private void OnTick()
    {
        double seconds = _periodNanos / 1e9;
        var flows = new FlowMetadataBatch { TimestampUnixNanos = Now, PeriodNanos = _periodNanos };
        var occupancy = new QueueOccupancy { TimestampUnixNanos = Now, Trigger = OccupancyTrigger.Periodic };
        ulong sqDepth = 0, sqCapacity = 0;
        for (int i = 0; i < _tenants.Length; i++)
        {
            var t = _tenants[i];
            t.TouchSq(Now);
            if (_tick < _periods)
            {
                t.SeriesIops[_tick] = (t.PeriodReads + t.PeriodWrites) / seconds;
                t.SeriesCost[_tick] = t.PeriodDeviceCost / seconds;
                t.SeriesRate[_tick] = _policy is not null && _policy.TryGetRate(t.Spec.Application, out double rate) && t.Connected ? rate : double.NaN;
            }

            if (t.Connected)
            {
                double reads = t.PeriodReads / seconds, writes = t.PeriodWrites / seconds;
                double average = t.SqIntegral / _periodNanos;
                uint size = (uint)Math.Max(1, t.Spec.QueueDepth);
                var level = Level(average, size);
                flows.Flows.Add(new FlowRecord
                {
                    FlowId = (ulong)i + 1,
                    Application = t.Spec.Application,
                    ReadRateWindow = (float)reads,
                    WriteRateWindow = (float)writes,
                    ReadRate = (float)reads,
                    WriteRate = (float)writes,
                    ReadWriteRatio = reads + writes > 0 ? (float)(reads / (reads + writes)) : 1f,
                    BitRate = (float)(((writes * t.Spec.BlockSize) + ((reads + writes) * CapsuleSize)) * 8),
                    SqDepth = (uint)t.Sq.Count,
                    SqAverage = (float)average,
                    SqLevel = level,
                });
                occupancy.Entries.Add(new QueueOccupancyEntry
                {
                    Application = t.Spec.Application,
                    Queue = new QueueId(1),
                    SqDepth = (uint)t.Sq.Count,
                    SqSize = size,
                    SqAverage = (float)average,
                    SqWindowAverage = (float)average,
                    SqLevel = level,
                    CqSize = size,
                });
                sqDepth += (ulong)t.Sq.Count;
                sqCapacity += size;
            }

            t.PeriodReads = 0;
            t.PeriodWrites = 0;
            t.PeriodDeviceCost = 0;
            t.SqIntegral = 0;
        }

        var totals = new NodeTotals { SqDepth = sqDepth, SqCapacity = sqCapacity };
        flows.Totals = totals;
        occupancy.Totals = totals;
        if (_policy is not null)
        {
            TrackConnections();

            // Through the real codec, as offloadd would receive them from the mailbox.
            var wireFlows = (FlowMetadataBatch)MessageCodec.Decode(MessageType.FlowMetadataBatch, new ReadOnlySequence<byte>(MessageCodec.Encode(flows)))!;
            var wireOccupancy = (QueueOccupancy)MessageCodec.Decode(MessageType.QueueOccupancy, new ReadOnlySequence<byte>(MessageCodec.Encode(occupancy)))!;
            Enforce(_policy.Evaluate(TelemetrySnapshot.FromMessages(wireFlows, wireOccupancy)));
            if (_tick < _periods)
            {
                _seriesCapacity[_tick] = _policy.CapacityEstimate;
            }
        }

        _tick++;
        Schedule(Now + _periodNanos, new SimEvent(EventKind.Tick, 0, 0, null));
    }

    private static OccupancyLevel Level(double average, uint size)
        => average >= Math.Max(1.0, 0.5 * size) ? OccupancyLevel.High
        : average >= Math.Max(0.5, 0.25 * size) ? OccupancyLevel.Medium
        : OccupancyLevel.Low;

    /// <summary>
    /// As offloadd's NicControlLoop: an application is connected to the policy when it first appears in the NIC's
    /// occupancy report (so until this control period's decision the NIC runs it at its default: no rate, unlimited),
    /// and disconnected (history flushed, rate released) when its queues are gone from the report.
    /// </summary>
    private void TrackConnections()
    {
        foreach (var t in _tenants)
        {
            if (t.Connected && !t.KnownToPolicy)
            {
                t.KnownToPolicy = true;
                _policy!.Connect(t.Spec.Application);
            }
            else if (!t.Connected && t.KnownToPolicy)
            {
                t.KnownToPolicy = false;
                _policy!.Disconnect(t.Spec.Application);
            }
        }
    }

    private int IndexOf(AppId application)
    {
        for (int i = 0; i < _tenants.Length; i++)
        {
            if (_tenants[i].Spec.Application == application)
            {
                return i;
            }
        }

        return -1;
    }
}
