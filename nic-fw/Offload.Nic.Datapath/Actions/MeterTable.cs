namespace Offload.Nic.Datapath.Actions;

/// <summary>Meters indexed by <see cref="MeterId"/>. Owned by the poll thread.</summary>
internal sealed class MeterTable
{
    public const int Capacity = 1024;

    private readonly TokenBucket[] _buckets = new TokenBucket[Capacity];
    private readonly MeterConfig[] _configs = new MeterConfig[Capacity];
    private readonly bool[] _present = new bool[Capacity];

    public void Set(MeterId id, MeterConfig config, long frequency, long now)
    {
        _configs[id.Value] = config;
        _buckets[id.Value] = new TokenBucket(config.RateBytesPerSecond, config.BurstSize, frequency, now);
        _present[id.Value] = true;
    }

    public void Remove(MeterId id) => _present[id.Value] = false;

    /// <summary>Returns true when the packet is within rate; otherwise the band applies.</summary>
    public bool TryPass(uint id, int size, long now, out MeterBandType band, out byte remarkDscp)
    {
        band = MeterBandType.Drop;
        remarkDscp = 0;
        if (id >= Capacity || !_present[id])
        {
            return true; // a missing meter does not police
        }

        if (_buckets[id].TryTake(size, now))
        {
            return true;
        }

        band = _configs[id].Band;
        remarkDscp = _configs[id].RemarkDscp;
        return false;
    }
}
