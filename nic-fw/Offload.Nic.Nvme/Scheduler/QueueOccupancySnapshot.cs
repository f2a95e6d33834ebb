using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Scheduler;

/// <summary>One queue's occupancy as telemetry ships it.</summary>
public readonly record struct QueueOccupancySnapshot(
    AppId App,
    ControllerId Controller,
    ushort QueueId,
    bool IsCompletionQueue,
    int QueueSize,
    int Depth,
    double AverageDepth,
    OccupancyLevel Level);
