namespace Offload.Nic.Datapath.Mirror;

/// <summary>
/// Single-producer (poll thread) single-consumer (capture sender) ring of mirrored frames, preallocated when a capture
/// starts: a full ring drops the frame and counts it, so the datapath never waits for the host.
/// </summary>
public sealed class CaptureRing
{
    private readonly byte[][] _data;
    private readonly int[] _lengths;
    private readonly int[] _originalLengths;
    private readonly long[] _timestamps;
    private readonly bool[] _outbound;
    private long _head;
    private long _tail;
    private long _dropped;

    public CaptureRing(int capacity, int snapLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(snapLength, 1);
        SnapLength = snapLength;
        _data = new byte[capacity][];
        for (int i = 0; i < capacity; i++)
        {
            _data[i] = new byte[snapLength];
        }

        _lengths = new int[capacity];
        _originalLengths = new int[capacity];
        _timestamps = new long[capacity];
        _outbound = new bool[capacity];
    }

    public int SnapLength { get; }

    /// <summary>Frames lost because the ring was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Frames waiting to be read.</summary>
    public int Count => (int)(Volatile.Read(ref _head) - Volatile.Read(ref _tail));

    /// <summary>Producer: copies the first <see cref="SnapLength"/> bytes of <paramref name="frame"/>; false (counted) when full.</summary>
    public bool TryWrite(ReadOnlySpan<byte> frame, long unixNanos, bool outbound)
    {
        long head = Volatile.Read(ref _head);
        if (head - Volatile.Read(ref _tail) >= _data.Length)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        int slot = (int)(head % _data.Length);
        int length = Math.Min(frame.Length, SnapLength);
        frame[..length].CopyTo(_data[slot]);
        _lengths[slot] = length;
        _originalLengths[slot] = frame.Length;
        _timestamps[slot] = unixNanos;
        _outbound[slot] = outbound;
        Volatile.Write(ref _head, head + 1);
        return true;
    }

    /// <summary>Consumer: copies the oldest frame out (a new array, off the datapath); false when empty.</summary>
    public bool TryRead(out long unixNanos, out int originalLength, out bool outbound, out byte[] data)
    {
        long tail = Volatile.Read(ref _tail);
        if (tail == Volatile.Read(ref _head))
        {
            unixNanos = 0;
            originalLength = 0;
            outbound = false;
            data = [];
            return false;
        }

        int slot = (int)(tail % _data.Length);
        data = _data[slot].AsSpan(0, _lengths[slot]).ToArray();
        originalLength = _originalLengths[slot];
        unixNanos = _timestamps[slot];
        outbound = _outbound[slot];
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }
}
