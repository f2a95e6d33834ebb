namespace Offload.Nic.Nvme.Scheduler;

/// <summary>
/// One application's limits as the controller sets them: the guaranteed rate (IOPS and bytes/s token buckets), the
/// hard ceiling (the SLA limit, in IOPS) that work-conserving borrowing never crosses, and the depth of the rate
/// buckets. Values &lt;= 0 mean "none" (unlimited rate, no ceiling, default depth).
/// </summary>
/// <param name="Iops">Guaranteed rate, commands/s.</param>
/// <param name="BytesPerSecond">Guaranteed rate, bytes/s.</param>
/// <param name="CeilingIops">Hard ceiling, commands/s: holds for in-rate and borrowed commands alike.</param>
/// <param name="Burst">Depth of the rate buckets as time at the rate (zero: <see cref="TokenBucketRateLimiter.BurstSeconds"/>).</param>
public readonly record struct AppRateLimits(long Iops, long BytesPerSecond, long CeilingIops = 0, TimeSpan Burst = default);
