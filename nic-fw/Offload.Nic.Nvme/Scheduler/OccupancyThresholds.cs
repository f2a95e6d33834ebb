namespace Offload.Nic.Nvme.Scheduler;

/// <summary>Fractions of queue size at which occupancy becomes Medium and High.</summary>
public sealed record OccupancyThresholds(double Medium = 0.25, double High = 0.75)
{
    public OccupancyLevel Classify(double depth, int queueSize)
    {
        if (queueSize <= 0)
        {
            return OccupancyLevel.Low;
        }

        var fraction = depth / queueSize;
        return fraction >= High ? OccupancyLevel.High : fraction >= Medium ? OccupancyLevel.Medium : OccupancyLevel.Low;
    }
}
