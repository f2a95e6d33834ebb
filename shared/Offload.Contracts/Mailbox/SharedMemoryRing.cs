using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// One direction of a shared-memory mailbox: a single-producer single-consumer byte ring in mapped memory. Each end
/// uses a ring in one role only, producer or consumer, and keeps its own position privately (the copy in shared
/// memory is for the peer; this end never trusts the peer's copy of it). The peer's published position is checked on
/// every read: a position more than a ring ahead, or behind, is a corrupt or hostile peer and throws.
/// </summary>
/// <remarks>
/// Ordering: the producer copies bytes in, then publishes its write position with a release store; the consumer reads
/// the write position with an acquire load, copies bytes out, then publishes its read position with a release store,
/// which the producer reads with an acquire load before reusing that space. The sleeping flags follow the store-load
/// (Dekker) pattern: each side stores (its position, or its flag), issues a full fence, then loads the other's; so of a
/// sleeper and a publisher at least one sees the other, and a wake-up cannot be lost.
/// </remarks>
internal sealed unsafe class SharedMemoryRing
{
    private readonly byte* _control;
    private readonly byte* _data;
    private readonly int _size;
    private readonly int _mask;

    /// <summary>This end's position: the write position when producing, the read position when consuming.</summary>
    private long _position;

    /// <param name="control">The ring's four-cache-line control block.</param>
    /// <param name="data">The ring's <paramref name="size"/> bytes.</param>
    public SharedMemoryRing(byte* control, byte* data, int size, bool producer)
    {
        _control = control;
        _data = data;
        _size = size;
        _mask = size - 1;
        _position = Volatile.Read(ref producer ? ref WritePosition : ref ReadPosition);
    }

    public int Size => _size;

    private ref long WritePosition => ref Unsafe.AsRef<long>(_control + SharedMemoryLayout.WritePositionLine);

    private ref long ReadPosition => ref Unsafe.AsRef<long>(_control + SharedMemoryLayout.ReadPositionLine);

    private ref int ReaderSleeping => ref Unsafe.AsRef<int>(_control + SharedMemoryLayout.ReaderSleepingLine);

    private ref int WriterSleeping => ref Unsafe.AsRef<int>(_control + SharedMemoryLayout.WriterSleepingLine);

    /// <summary>Producer: copies as much of <paramref name="source"/> as fits and publishes it; returns the bytes written.</summary>
    public int TryWrite(ReadOnlySpan<byte> source)
    {
        long used = _position - Volatile.Read(ref ReadPosition);
        if ((ulong)used > (ulong)_size)
        {
            ThrowCorrupt("read", used);
        }

        int count = (int)Math.Min(_size - used, source.Length);
        if (count == 0)
        {
            return 0;
        }

        int offset = (int)(_position & _mask);
        int first = Math.Min(count, _size - offset);
        source[..first].CopyTo(new Span<byte>(_data + offset, first));
        if (count > first)
        {
            source[first..count].CopyTo(new Span<byte>(_data, count - first));
        }

        _position += count;
        Volatile.Write(ref WritePosition, _position);
        return count;
    }

    /// <summary>Consumer: copies out as many published bytes as fit in <paramref name="destination"/>; returns the bytes read.</summary>
    public int TryRead(Span<byte> destination)
    {
        long available = Volatile.Read(ref WritePosition) - _position;
        if ((ulong)available > (ulong)_size)
        {
            ThrowCorrupt("write", available);
        }

        int count = (int)Math.Min(available, destination.Length);
        if (count == 0)
        {
            return 0;
        }

        int offset = (int)(_position & _mask);
        int first = Math.Min(count, _size - offset);
        new ReadOnlySpan<byte>(_data + offset, first).CopyTo(destination);
        if (count > first)
        {
            new ReadOnlySpan<byte>(_data, count - first).CopyTo(destination[first..]);
        }

        _position += count;
        Volatile.Write(ref ReadPosition, _position);
        return count;
    }

    /// <summary>Consumer: whether published bytes are waiting.</summary>
    public bool HasData => Volatile.Read(ref WritePosition) != _position;

    /// <summary>
    /// Free space at which a sleeping producer is woken: a quarter of the ring. Waking it for every byte freed would
    /// have it write a few bytes and sleep again, a doorbell per read; with this hysteresis a full ring costs one
    /// doorbell per quarter ring. No wake-up is lost: the producer's last check before sleeping and the consumer's
    /// check after each read use the same threshold, and a consumer that keeps reading drains the ring past it.
    /// </summary>
    public int SpaceWakeThreshold => _size / 4;

    /// <summary>Producer: whether there is at least <see cref="SpaceWakeThreshold"/> free (then it does not sleep).</summary>
    public bool HasWakeSpace => _size - (_position - Volatile.Read(ref ReadPosition)) >= SpaceWakeThreshold;

    /// <summary>Producer, after <see cref="TryWrite"/>: true when the consumer was asleep and this call claimed the job of waking it.</summary>
    public bool TakeReaderSleeping() => TakeFlag(ref ReaderSleeping);

    /// <summary>Consumer, after <see cref="TryRead"/>: true when the producer was asleep, at least
    /// <see cref="SpaceWakeThreshold"/> is free, and this call claimed the job of waking it.</summary>
    public bool TakeWriterSleeping()
    {
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref WriterSleeping) != 0
            && _size - (Volatile.Read(ref WritePosition) - _position) >= SpaceWakeThreshold
            && Interlocked.Exchange(ref WriterSleeping, 0) != 0;
    }

    /// <summary>Consumer: announces it is about to sleep; a full fence follows, so the re-check after it sees any write the producer published before it looked at the flag.</summary>
    public void AnnounceReaderSleeping() => Interlocked.Exchange(ref ReaderSleeping, 1);

    /// <summary>Producer: as <see cref="AnnounceReaderSleeping"/>, for a full ring.</summary>
    public void AnnounceWriterSleeping() => Interlocked.Exchange(ref WriterSleeping, 1);

    /// <summary>Consumer: withdraws the announcement (it found data after all). A doorbell may still arrive; waits re-check, so it is harmless.</summary>
    public void WithdrawReaderSleeping() => Interlocked.Exchange(ref ReaderSleeping, 0);

    public void WithdrawWriterSleeping() => Interlocked.Exchange(ref WriterSleeping, 0);

    private static bool TakeFlag(ref int flag)
    {
        // Store-load fence: our position store must be visible before we look at the peer's flag (else both could miss).
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref flag) != 0 && Interlocked.Exchange(ref flag, 0) != 0;
    }

    [DoesNotReturn]
    private void ThrowCorrupt(string which, long distance) =>
        throw new IOException($"Shared-memory mailbox ring is corrupt: the peer's {which} position is {distance} bytes from ours, outside 0..{_size}.");
}
