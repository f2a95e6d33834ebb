namespace Offload.Simulation.Model;

/// <summary>
/// Capacity model of the shared memory: <see cref="Channels"/> parallel units that together complete
/// <see cref="ReadIops"/> 4 KiB reads/s. A request of cost c (1 per 4 KiB read, <see cref="WriteCost"/> per 4 KiB
/// write, linear in size above 4 KiB) holds a channel for c·Channels/ReadIops seconds times a random factor
/// 0.5 + Exp(mean 0.5) (mean 1, so the average rate is exact but service times vary). Requests beyond the
/// busy channels wait in the device's own FIFO. Completions reach the host <see cref="BaseLatencyNanos"/> later.
/// <see cref="QueueDepth"/> is how many commands the device accepts at once under NVMe round robin.
/// </summary>
internal sealed record DeviceModel(double ReadIops = 40_000, int Channels = 2, double WriteCost = 3.0, long BaseLatencyNanos = 20_000, int QueueDepth = 32)
{
    /// <summary>Cost units of one request on the real device.</summary>
    public double CostOf(bool write, int size) => (write ? WriteCost : 1.0) * (size <= 4096 ? 1.0 : size / 4096.0);

    /// <summary>Mean channel time of one cost unit, ns.</summary>
    public double NanosPerCost => Channels * 1e9 / ReadIops;
}
