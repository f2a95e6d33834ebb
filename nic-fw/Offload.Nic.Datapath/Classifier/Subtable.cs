using System.Runtime.CompilerServices;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Classifier;

/// <summary>
/// All megaflows sharing one mask: an open-addressing (linear probing, backward-shift delete) hash table
/// keyed by the masked key. One tuple of the tuple-space search.
/// </summary>
internal sealed class Subtable
{
    private Megaflow?[] _slots;
    private uint[] _hashes;
    private int _capacityMask;

    private readonly FlowKey _mask;

    private readonly int[] _words;
    private readonly ulong[] _wordMasks;

    public Subtable(in FlowKey mask)
    {
        _mask = mask;
        var count = 0;
        for (var w = 0; w < 8; w++)
        {
            count += mask.Word(w) != 0 ? 1 : 0;
        }

        _words = new int[count];
        _wordMasks = new ulong[count];
        count = 0;
        for (var w = 0; w < 8; w++)
        {
            if (mask.Word(w) != 0)
            {
                _words[count] = w;
                _wordMasks[count++] = mask.Word(w);
            }
        }
        _slots = new Megaflow?[16];
        _hashes = new uint[16];
        _capacityMask = 15;
        MaxPriority = int.MinValue;
    }

    public FlowKey Mask => _mask;

    /// <summary>True when this subtable's mask equals <paramref name="mask"/>.</summary>
    public bool HasMask(in FlowKey mask) => _mask.SameAs(mask);

    public int Count { get; private set; }

    /// <summary>Highest priority of any entry (may be stale-high after removals until <see cref="RecomputeMaxPriority"/>).</summary>
    public int MaxPriority { get; private set; }

    /// <summary>Matches since the last ranking.</summary>
    public long Hits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Megaflow? Lookup(in FlowKey key)
    {
        var hash = Hash(key);
        var slots = _slots;
        var hashes = _hashes;
        var i = (int)hash & _capacityMask;
        while (true)
        {
            var flow = slots[i];
            if (flow is null)
            {
                return null;
            }

            if (hashes[i] == hash && key.MatchesMasked(in flow.MatchKey, in _mask))
            {
                return flow;
            }

            i = (i + 1) & _capacityMask;
        }
    }

    /// <summary>Hash of the key's bits under this mask, reading only the words the mask uses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Hash(in FlowKey key)
    {
        var h = FlowKey.HashSeed;
        var words = _words;
        var masks = _wordMasks;
        for (var j = 0; j < words.Length; j++)
        {
            h = FlowKey.Mix(h, key.Word(words[j]) & masks[j]);
        }

        return FlowKey.Finish(h);
    }

    /// <summary>Finds the entry whose match equals <paramref name="maskedMatch"/> exactly.</summary>
    public Megaflow? Find(in FlowKey maskedMatch)
    {
        var hash = Hash(maskedMatch);
        var i = (int)hash & _capacityMask;
        while (_slots[i] is { } flow)
        {
            if (_hashes[i] == hash && flow.MatchKey.SameAs(maskedMatch))
            {
                return flow;
            }

            i = (i + 1) & _capacityMask;
        }

        return null;
    }

    public void Insert(Megaflow flow)
    {
        if ((Count + 1) * 4 > _slots.Length * 3)
        {
            Grow();
        }

        Place(flow, Hash(flow.MatchKey));
        Count++;
        if (flow.Priority > MaxPriority)
        {
            MaxPriority = flow.Priority;
        }
    }

    public bool Remove(Megaflow flow)
    {
        var i = (int)Hash(flow.MatchKey) & _capacityMask;
        while (_slots[i] is { } candidate)
        {
            if (ReferenceEquals(candidate, flow))
            {
                DeleteAt(i);
                Count--;
                return true;
            }

            i = (i + 1) & _capacityMask;
        }

        return false;
    }

    public void RecomputeMaxPriority()
    {
        var max = int.MinValue;
        foreach (var flow in _slots)
        {
            if (flow is not null && flow.Priority > max)
            {
                max = flow.Priority;
            }
        }

        MaxPriority = max;
    }

    public void RaiseMaxPriority(int priority)
    {
        if (priority > MaxPriority)
        {
            MaxPriority = priority;
        }
    }

    private void Place(Megaflow flow, uint hash)
    {
        var i = (int)hash & _capacityMask;
        while (_slots[i] is not null)
        {
            i = (i + 1) & _capacityMask;
        }

        _slots[i] = flow;
        _hashes[i] = hash;
    }

    private void DeleteAt(int hole)
    {
        // Backward-shift deletion keeps probe chains intact without tombstones.
        _slots[hole] = null;
        var i = (hole + 1) & _capacityMask;
        while (_slots[i] is { } flow)
        {
            var home = (int)_hashes[i] & _capacityMask;
            var distanceHome = (i - home) & _capacityMask;
            var distanceHole = (i - hole) & _capacityMask;
            if (distanceHome >= distanceHole)
            {
                _slots[hole] = flow;
                _hashes[hole] = _hashes[i];
                _slots[i] = null;
                hole = i;
            }

            i = (i + 1) & _capacityMask;
        }
    }

    private void Grow()
    {
        var oldSlots = _slots;
        var oldHashes = _hashes;
        _slots = new Megaflow?[oldSlots.Length * 2];
        _hashes = new uint[oldSlots.Length * 2];
        _capacityMask = _slots.Length - 1;
        for (var i = 0; i < oldSlots.Length; i++)
        {
            if (oldSlots[i] is { } flow)
            {
                Place(flow, oldHashes[i]);
            }
        }
    }
}
