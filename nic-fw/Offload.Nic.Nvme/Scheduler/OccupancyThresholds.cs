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

        // Multiplied rather than divided (a telemetry sweep classifies 40,000 depths and averages per pass).
        return depth >= High * queueSize ? OccupancyLevel.High : depth >= Medium * queueSize ? OccupancyLevel.Medium : OccupancyLevel.Low;
    }
}
