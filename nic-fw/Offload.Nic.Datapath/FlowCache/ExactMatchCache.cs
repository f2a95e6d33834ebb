using System.Runtime.CompilerServices;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.FlowCache;

/// <summary>
/// Per-poll-thread exact-match cache (OVS EMC): 8192 entries, two candidate slots per key, probabilistic
/// insertion (1 in <c>insertInverseProbability</c> megaflow hits is cached; 0 disables the EMC) so that a flood of one-packet
/// flows cannot thrash it. Entries point at megaflows; a removed megaflow (IsAlive false) is a miss.
/// </summary>
internal sealed class ExactMatchCache
{
    public const int DefaultEntries = 8192;

    private readonly FlowKey[] _keys;
    private readonly Megaflow?[] _flows;
    private readonly int _mask;
    private readonly uint _insertInverseProbability;
    private uint _random = 0x9E3779B9;

    public ExactMatchCache(int entries = DefaultEntries, int insertInverseProbability = 100)
    {
        if (entries <= 0 || (entries & (entries - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(entries), entries, "EMC size must be a power of two.");
        }

        _keys = new FlowKey[entries];
        _flows = new Megaflow?[entries];
        _mask = entries - 1;
        _insertInverseProbability = insertInverseProbability <= 0 ? 0 : (uint)insertInverseProbability;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Megaflow? Lookup(in FlowKey key, uint hash)
    {
        var i = (int)hash & _mask;
        var flow = _flows[i];
        if (flow is not null && flow.IsAlive && _keys[i].SameAs(key))
        {
            return flow;
        }

        i = (int)(hash >> 16) & _mask;
        flow = _flows[i];
        return flow is not null && flow.IsAlive && _keys[i].SameAs(key) ? flow : null;
    }

    public void MaybeInsert(in FlowKey key, uint hash, Megaflow flow)
    {
        if (_insertInverseProbability == 0)
        {
            return; // EMC disabled
        }

        if (_insertInverseProbability > 1)
        {
            _random ^= _random << 13;
            _random ^= _random >> 17;
            _random ^= _random << 5;
            if (_random % _insertInverseProbability != 0)
            {
                return;
            }
        }

        var first = (int)hash & _mask;
        var second = (int)(hash >> 16) & _mask;
        var slot = _flows[first] is not { IsAlive: true } ? first
            : _flows[second] is not { IsAlive: true } ? second
            : (_random & 1) == 0 ? first : second;
        _keys[slot] = key;
        _flows[slot] = flow;
    }

    public void Clear() => Array.Clear(_flows);
}
