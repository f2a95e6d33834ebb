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
    OccupancyLevel Level)
{
    /// <summary>The snapshot of <paramref name="queue"/> at <paramref name="timestamp"/>: its depth now, its
    /// time-averaged depth and the level of that average.</summary>
    public static QueueOccupancySnapshot Of(AppId app, ControllerId controller, ushort queueId, bool isCompletionQueue,
        QueueOccupancy queue, long timestamp, OccupancyThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(thresholds);
        var average = queue.AverageDepthAt(timestamp);
        return new QueueOccupancySnapshot(app, controller, queueId, isCompletionQueue, queue.QueueSize, queue.Depth, average,
            thresholds.Classify(average, queue.QueueSize));
    }
}
