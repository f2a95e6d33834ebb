namespace Offload.Nic.Nvme.Scheduler;

/// <summary>Seam the telemetry issue reads: per SQ and CQ instantaneous depth, time-averaged depth and level.</summary>
public interface IOccupancySource
{
    /// <summary>Appends one snapshot per live SQ and CQ.</summary>
    void CollectOccupancy(ICollection<QueueOccupancySnapshot> destination);
}
