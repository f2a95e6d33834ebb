namespace Offload.Nic.Datapath.Port;

/// <summary>
/// Lock-free single-producer single-consumer ring of frames with pre-allocated slots.
/// </summary>
internal sealed class InMemoryRing
{
    private readonly byte[] _data;
    private readonly int[] _lengths;
    private readonly int _slotSize;
    private readonly int _mask;
    private long _head; // next to read (consumer)
    private long _tail; // next to write (producer)

    public InMemoryRing(int slots, int slotSize)
    {
        if (slots <= 0 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "Ring size must be a power of two.");
        }

        _data = new byte[slots * slotSize];
        _lengths = new int[slots];
        _slotSize = slotSize;
        _mask = slots - 1;
    }

    public int Count => (int)(Volatile.Read(ref _tail) - Volatile.Read(ref _head));

    public bool TryEnqueue(ReadOnlySpan<byte> frame)
    {
        var tail = _tail;
        if (frame.Length > _slotSize || tail - Volatile.Read(ref _head) > _mask)
        {
            return false;
        }

        var slot = (int)(tail & _mask);
        frame.CopyTo(_data.AsSpan(slot * _slotSize));
        _lengths[slot] = frame.Length;
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    public bool TryDequeue(Span<byte> destination, out int length)
    {
        var head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            length = 0;
            return false;
        }

        var slot = (int)(head & _mask);
        length = Math.Min(_lengths[slot], destination.Length);
        _data.AsSpan(slot * _slotSize, length).CopyTo(destination);
        Volatile.Write(ref _head, head + 1);
        return true;
    }

    public int DequeueInto(FrameBatch batch, PortNo inPort)
    {
        var n = 0;
        while (batch.Free > 0)
        {
            var head = _head;
            if (head == Volatile.Read(ref _tail))
            {
                break;
            }

            var slot = (int)(head & _mask);
            var length = Math.Min(_lengths[slot], batch.MaxFrameSize);
            _data.AsSpan(slot * _slotSize, length).CopyTo(batch.NextSlot());
            batch.Commit(length, inPort);
            Volatile.Write(ref _head, head + 1);
            n++;
        }

        return n;
    }
}
