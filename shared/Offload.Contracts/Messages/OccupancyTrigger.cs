namespace Offload.Contracts.Messages;

/// <summary>Why a <see cref="QueueOccupancy"/> report was sent.</summary>
public enum OccupancyTrigger : byte
{
    /// <summary>The regular report period elapsed.</summary>
    Periodic = 0,

    /// <summary>A queue crossed a level threshold; sent at once, without waiting for the period.</summary>
    Threshold = 1,
}
