namespace Offload.Nic.Nvme.Scheduler;

/// <summary>An <see cref="IOccupancySource"/> whose queues raise an <see cref="OccupancySignal"/> when their level changes.</summary>
public interface IOccupancySignalSource
{
    /// <summary>Every queue, present and future, raises <paramref name="signal"/> on a level change.</summary>
    void AttachSignal(OccupancySignal signal);
}
