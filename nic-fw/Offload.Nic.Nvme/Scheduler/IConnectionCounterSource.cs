namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// Seam the telemetry sampler reads per-connection (per-flow, 5-tuple) counters from: a slab whose described lines
/// are the live connections (admin queues included, QueueId 0: they are not flows). The sampler sweeps the lines in
/// order without the source's lock; at 10,000 connections, walking the queue pairs to each connection's own objects
/// cost several times more than the sweep (docs/TELEMETRY-SCALING.md).
/// </summary>
public interface IConnectionCounterSource : IOccupancySource
{
}
