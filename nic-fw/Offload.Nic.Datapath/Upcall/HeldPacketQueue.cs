using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Upcall;

/// <summary>
/// Bounded FIFO of packets waiting for the controller's answer to their upcall. Pre-allocated slots;
/// entries released out of order (by an install) leave a hole that the head skips. Poll-thread only.
/// </summary>
internal sealed class HeldPacketQueue
{
    private readonly byte[] _data;
    private readonly int _slotSize;
    private readonly FlowKey[] _keys;
    private readonly int[] _lengths;
    private readonly long[] _deadlines;
    private readonly bool[] _live;
    private readonly uint[] _hashes;

    // Counting filter over key hashes: a miss for a key nobody holds (the flood case) costs one array read,
    // not a scan of the queue.
    private readonly int[] _hashCounts = new int[1 << 16];
    private readonly int _capacity;
    private int _head;
    private int _used; // slots between head and tail, including holes

    public HeldPacketQueue(int capacity, int slotSize)
    {
        _capacity = capacity;
        _slotSize = slotSize;
        _data = new byte[capacity * slotSize];
        _keys = new FlowKey[capacity];
        _lengths = new int[capacity];
        _deadlines = new long[capacity];
        _live = new bool[capacity];
        _hashes = new uint[capacity];
    }

    public int Capacity => _capacity;

    /// <summary>Live held packets.</summary>
    public int Count { get; private set; }

    public bool TryHold(in FlowKey key, uint hash, ReadOnlySpan<byte> frame, long deadline)
    {
        if (_used == _capacity || frame.Length > _slotSize)
        {
            return false;
        }

        var slot = (_head + _used) % _capacity;
        frame.CopyTo(_data.AsSpan(slot * _slotSize));
        _keys[slot] = key;
        _lengths[slot] = frame.Length;
        _deadlines[slot] = deadline;
        _live[slot] = true;
        _hashes[slot] = hash;
        _hashCounts[hash & 0xFFFF]++;
        _used++;
        Count++;
        return true;
    }

    /// <summary>Forgets the most recently held packet (its upcall could not be sent).</summary>
    public void DropNewest()
    {
        if (_used == 0)
        {
            return;
        }

        var slot = (_head + _used - 1) % _capacity;
        if (_live[slot])
        {
            Unlive(slot);
        }

        _used--;
        Compact();
    }

    /// <summary>True when a live packet with exactly this key is held (an upcall for it is outstanding).</summary>
    public bool ContainsKey(in FlowKey key, uint hash)
    {
        if (_hashCounts[hash & 0xFFFF] == 0)
        {
            return false;
        }

        for (var i = 0; i < _used; i++)
        {
            var slot = (_head + i) % _capacity;
            if (_live[slot] && _hashes[slot] == hash && _keys[slot].SameAs(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Releases every live packet matching (match, mask), oldest first, via <paramref name="release"/>.</summary>
    public int Release<TVisitor>(in FlowKey maskedMatch, in FlowKey mask, ref TVisitor release)
        where TVisitor : struct, IHeldPacketVisitor
    {
        var n = 0;
        for (var i = 0; i < _used; i++)
        {
            var slot = (_head + i) % _capacity;
            if (_live[slot] && _keys[slot].MatchesMasked(maskedMatch, mask))
            {
                Unlive(slot);
                n++;
                release.Visit(in _keys[slot], _data.AsSpan(slot * _slotSize, _lengths[slot]));
            }
        }

        Compact();
        return n;
    }

    /// <summary>Drops packets whose deadline passed; returns how many.</summary>
    public int Expire(long now)
    {
        var n = 0;
        for (var i = 0; i < _used; i++)
        {
            var slot = (_head + i) % _capacity;
            if (_live[slot] && _deadlines[slot] <= now)
            {
                Unlive(slot);
                n++;
            }
        }

        Compact();
        return n;
    }

    private void Unlive(int slot)
    {
        _live[slot] = false;
        _hashCounts[_hashes[slot] & 0xFFFF]--;
        Count--;
    }

    private void Compact()
    {
        while (_used > 0 && !_live[_head])
        {
            _head = (_head + 1) % _capacity;
            _used--;
        }
    }
}
