using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>One live I/O connection as telemetry reads it: its owner, its cumulative counters (read the values
/// through <see cref="Counters"/>) and its SQ and CQ occupancy now.</summary>
public readonly record struct ConnectionCountersSnapshot(
    AppId App,
    ControllerId Controller,
    ushort QueueId,
    ConnectionCounters Counters,
    QueueOccupancySnapshot Submission,
    QueueOccupancySnapshot Completion);
