using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Offload.Nic.Datapath.Port;

/// <summary>
/// Up to <see cref="Capacity"/> (32) frames in one pre-allocated buffer. Each slot keeps
/// <see cref="Headroom"/> bytes in front of the frame so that actions can push a VLAN tag or insert an
/// IPv4 option without copying the frame. Allocation happens only at construction.
/// </summary>
public sealed class FrameBatch
{
    /// <summary>Default burst size.</summary>
    public const int DefaultCapacity = 32;

    /// <summary>Bytes reserved in front of each frame.</summary>
    public const int Headroom = 64;

    private readonly byte[] _buffer;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private readonly ushort[] _ports;

    /// <summary>Creates a batch.</summary>
    /// <param name="maxFrameSize">Largest frame a slot holds.</param>
    /// <param name="capacity">Frames per batch.</param>
    public FrameBatch(int maxFrameSize = 2048, int capacity = DefaultCapacity)
    {
        MaxFrameSize = maxFrameSize;
        Capacity = capacity;
        SlotSize = maxFrameSize + Headroom + 16;
        _buffer = new byte[SlotSize * capacity];
        _starts = new int[capacity];
        _lengths = new int[capacity];
        _ports = new ushort[capacity];
    }

    /// <summary>Largest frame a slot holds.</summary>
    public int MaxFrameSize { get; }

    /// <summary>Frames the batch holds.</summary>
    public int Capacity { get; }

    /// <summary>Frames currently in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Free slots.</summary>
    public int Free => Capacity - Count;

    internal int SlotSize { get; }

    internal byte[] Buffer => _buffer;

    /// <summary>Frame <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Frame(int index) => _buffer.AsSpan(_starts[index], _lengths[index]);

    /// <summary>Ingress port stamped on frame <paramref name="index"/>.</summary>
    public PortNo InPort(int index) => new(_ports[index]);

    /// <summary>The writable area of the next free slot (MaxFrameSize bytes); follow with <see cref="Commit"/>.</summary>
    public Span<byte> NextSlot() => _buffer.AsSpan((Count * SlotSize) + Headroom, MaxFrameSize);

    /// <summary>Commits <paramref name="length"/> bytes written into <see cref="NextSlot"/>.</summary>
    public void Commit(int length, PortNo inPort = default)
    {
        _starts[Count] = (Count * SlotSize) + Headroom;
        _lengths[Count] = length;
        _ports[Count] = inPort.Value;
        Count++;
    }

    /// <summary>Copies a frame in; false when full or the frame is larger than a slot.</summary>
    public bool TryAdd(ReadOnlySpan<byte> frame, PortNo inPort = default)
    {
        if (Count == Capacity || frame.Length > MaxFrameSize)
        {
            return false;
        }

        var slot = (Count * SlotSize) + Headroom;
        CopyFrame(frame, _buffer.AsSpan(slot, MaxFrameSize));
        _starts[Count] = slot;
        _lengths[Count] = frame.Length;
        _ports[Count] = inPort.Value;
        Count++;
        return true;
    }

    /// <summary>
    /// Copies a frame into a slot. Frames of 32 to 128 bytes (the small packets a switch sees most) are copied with
    /// two or four overlapping 32-byte vector moves inline; anything else goes through <see cref="Span{T}.CopyTo"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyFrame(ReadOnlySpan<byte> frame, Span<byte> slot)
    {
        var length = frame.Length;
        if (!Vector256.IsHardwareAccelerated || length < 32 || length > 128 || slot.Length < length)
        {
            frame.CopyTo(slot);
            return;
        }

        ref var source = ref MemoryMarshal.GetReference(frame);
        ref var target = ref MemoryMarshal.GetReference(slot);
        var tail = (nuint)(length - 32);
        var first = Vector256.LoadUnsafe(ref source);
        var last = Vector256.LoadUnsafe(ref source, tail);
        if (length > 64)
        {
            var second = Vector256.LoadUnsafe(ref source, 32);
            var third = Vector256.LoadUnsafe(ref source, tail - 32);
            second.StoreUnsafe(ref target, 32);
            third.StoreUnsafe(ref target, tail - 32);
        }

        first.StoreUnsafe(ref target);
        last.StoreUnsafe(ref target, tail);
    }

    /// <summary>Empties the batch.</summary>
    public void Clear() => Count = 0;

    /// <summary>Removes the first <paramref name="n"/> frames, keeping the rest in order.</summary>
    public void RemoveFirst(int n)
    {
        if (n >= Count)
        {
            Count = 0;
            return;
        }

        for (var i = n; i < Count; i++)
        {
            var frame = Frame(i);
            var target = ((i - n) * SlotSize) + Headroom;
            frame.CopyTo(_buffer.AsSpan(target));
            _starts[i - n] = target;
            _lengths[i - n] = _lengths[i];
            _ports[i - n] = _ports[i];
        }

        Count -= n;
    }

    internal ref int StartRef(int index) => ref _starts[index];

    internal ref int LengthRef(int index) => ref _lengths[index];

    internal int SlotBase(int index) => index * SlotSize;
}
