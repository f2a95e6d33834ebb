namespace Offload.Nic.Nvme.Scheduler;

public enum OccupancyLevel
{
    Low = 0,
    Medium = 1,
    High = 2,
}
