namespace Offload.Nic.Datapath.TxQueue;

/// <summary>Per-source transmit counters (snapshot).</summary>
/// <param name="InflightBytes">Bytes handed to the port and not yet completed.</param>
/// <param name="InflightPackets">Frames handed to the port and not yet completed.</param>
/// <param name="BacklogPackets">Frames waiting for budget.</param>
/// <param name="CompletedPackets">Frames the port consumed.</param>
/// <param name="BudgetDrops">Frames dropped because the backlog was full (<see cref="DropReason.Budget"/>).</param>
/// <param name="TotalTimeInQueueTicks">Sum over completed frames of enqueue-to-completion time.</param>
/// <param name="MaxTimeInQueueTicks">Largest enqueue-to-completion time.</param>
/// <param name="Budget">Current byte budget.</param>
public readonly record struct SourceCounters(long InflightBytes, long InflightPackets, int BacklogPackets, long CompletedPackets,
    long BudgetDrops, long TotalTimeInQueueTicks, long MaxTimeInQueueTicks, long Budget);
