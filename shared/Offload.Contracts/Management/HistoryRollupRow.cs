namespace Offload.Contracts.Management;

/// <summary>One stored rollup.</summary>
/// <param name="Start">Start of the minute or hour (UTC).</param>
/// <param name="Resolution"><c>minute</c> or <c>hour</c> (older minutes are compacted into hours).</param>
/// <param name="PeakRate">Highest per-period rate in the rollup.</param>
/// <param name="MeanRate">Mean per-period rate while active.</param>
/// <param name="ReadFraction">Mean reads / (reads + writes).</param>
/// <param name="Samples">Control periods in the rollup.</param>
public sealed record HistoryRollupRow(DateTimeOffset Start, string Resolution, double PeakRate, double MeanRate, double ReadFraction, long Samples);
