namespace Offload.Nic.Nvme.Scheduler;

/// <summary>Seam the telemetry reporter reads per-application request rates from.</summary>
public interface IApplicationCounterSource
{
    /// <summary>Appends the cumulative counters of every live I/O controller.</summary>
    void CollectApplicationCounters(ICollection<ApplicationCounters> destination);
}
