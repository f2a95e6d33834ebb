namespace Offload.Nic.Nvme.Scheduler;

/// <summary>Seam the occupancy reporter reads: the telemetry lines of every queue pair (admin and I/O), whose SQ and CQ
/// state (instantaneous depth, size, time-averaged depth) the reporter sweeps in order.</summary>
public interface IOccupancySource
{
    TelemetrySlab Telemetry { get; }
}
