namespace Offload.Contracts.Messages;

/// <summary>Queue occupancy band, from configurable thresholds on the queue's fill fraction.</summary>
public enum OccupancyLevel : byte
{
    Low = 0,
    Medium = 1,
    High = 2,
}
