namespace Offload.Nic.Nvme.Scheduler;

/// <summary>Seam the telemetry reporter reads per-connection (per-flow, 5-tuple) counters from.</summary>
public interface IConnectionCounterSource
{
    /// <summary>Appends every live I/O connection that belongs to a controller (admin queues are not flows).</summary>
    void CollectConnectionCounters(ICollection<ConnectionCountersSnapshot> destination);
}
