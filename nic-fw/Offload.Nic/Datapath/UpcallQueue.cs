using System.Diagnostics.CodeAnalysis;
using Offload.Contracts.Messages;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Upcall;

namespace Offload.Nic.Datapath;

/// <summary>
/// The datapath's <see cref="IUpcallSink"/> in nic-fw: a single-producer single-consumer ring of pre-allocated slots
/// (key, packet head, ids). The poll thread copies each miss or controller packet into the next slot and never blocks
/// or allocates; a full ring makes <see cref="TrySendMiss"/> return false (the datapath counts QueueFull).
/// <see cref="DatapathService"/> drains the ring onto the mailbox through one reused <see cref="UpcallMessage"/>.
/// </summary>
internal sealed class UpcallQueue : IUpcallSink, IDisposable
{
    private readonly int _mask;
    private readonly ulong[] _ids;
    private readonly uint[] _inPorts;
    private readonly byte[] _reasons;
    private readonly ulong[] _userData;
    private readonly int[] _headSizes;
    private readonly byte[] _keys;
    private readonly byte[] _heads;
    private readonly SemaphoreSlim _signal = new(0);
    private long _head; // next slot to read (consumer)
    private long _tail; // next slot to write (producer)
    private int _consumerWaiting;
    private long _removed;
    private long _actions;

    /// <param name="capacity">Slots (rounded up to a power of two).</param>
    public UpcallQueue(int capacity)
    {
        var slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity));
        _mask = slots - 1;
        _ids = new ulong[slots];
        _inPorts = new uint[slots];
        _reasons = new byte[slots];
        _userData = new ulong[slots];
        _headSizes = new int[slots];
        _keys = new byte[slots * FlowKey.Size];
        _heads = new byte[slots * FlowMiss.MaxHeadSize];
        Capacity = slots;
    }

    /// <summary>Slots in the ring.</summary>
    public int Capacity { get; }

    /// <summary>Upcalls waiting to be sent.</summary>
    public int Count => (int)(Volatile.Read(ref _tail) - Volatile.Read(ref _head));

    /// <summary>Told (on the poll thread) when a flow leaves the table; set once before polling starts.</summary>
    public Action<FlowKey, FlowKey>? FlowRemoved { get; set; }

    /// <summary>Flows that left the datapath table (timeouts, deletes, evictions, refusals).</summary>
    public long FlowsRemoved => Interlocked.Read(ref _removed);

    /// <summary>Controller-action packets queued (packet-ins; counted apart from misses).</summary>
    public long ActionUpcalls => Interlocked.Read(ref _actions);

    public bool TrySendMiss(UpcallId id, in FlowKey key, ReadOnlySpan<byte> packetHead) =>
        TryEnqueue(id.Value, key, packetHead, FlowMiss.ReasonMiss, 0);

    public bool TrySendPacket(in FlowKey key, ReadOnlySpan<byte> packet, uint userData)
    {
        if (!TryEnqueue(0, key, packet, FlowMiss.ReasonAction, userData))
        {
            return false;
        }

        Interlocked.Increment(ref _actions);
        return true;
    }

    public void OnFlowRemoved(FlowId id, in FlowKey match, in FlowKey mask, FlowRemovedReason reason, FlowStats stats)
    {
        Interlocked.Increment(ref _removed);
        FlowRemoved?.Invoke(match, mask);
    }

    /// <summary>Copies the oldest upcall into <paramref name="message"/> and frees its slot (consumer only).</summary>
    public bool TryRead(UpcallMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            return false;
        }

        var slot = (int)(head & _mask);
        message.Set(
            _ids[slot], _inPorts[slot], _keys.AsSpan(slot * FlowKey.Size, FlowKey.Size),
            _heads.AsSpan(slot * FlowMiss.MaxHeadSize, _headSizes[slot]), _reasons[slot], _userData[slot]);
        Volatile.Write(ref _head, head + 1);
        return true;
    }

    /// <summary>Takes the oldest upcall as a new <see cref="FlowMiss"/> (allocates; for tests and tools).</summary>
    public bool TryRead([NotNullWhen(true)] out FlowMiss? miss)
    {
        var message = new UpcallMessage();
        if (!TryRead(message))
        {
            miss = null;
            return false;
        }

        miss = message.ToFlowMiss();
        return true;
    }

    /// <summary>Waits until an upcall is queued (consumer only); false when cancelled.</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Count > 0)
            {
                return true;
            }

            // Full fences on both sides (here and after the producer publishes): neither may read the other's flag or
            // tail from before its own write, so a queued upcall is never missed by a consumer about to sleep.
            Interlocked.Exchange(ref _consumerWaiting, 1);
            if (Count > 0)
            {
                Volatile.Write(ref _consumerWaiting, 0);
                return true;
            }

            try
            {
                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    /// <summary>Waits for and takes the oldest upcall (allocates; for tests).</summary>
    public async Task<FlowMiss> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryRead(out FlowMiss? miss))
            {
                return miss;
            }

            if (!await WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    public void Dispose() => _signal.Dispose();

    private bool TryEnqueue(ulong id, in FlowKey key, ReadOnlySpan<byte> head, byte reason, ulong userData)
    {
        var tail = _tail;
        if (tail - Volatile.Read(ref _head) > _mask)
        {
            return false;
        }

        var slot = (int)(tail & _mask);
        var size = Math.Min(head.Length, FlowMiss.MaxHeadSize);
        _ = key.TryWrite(_keys.AsSpan(slot * FlowKey.Size, FlowKey.Size));
        head[..size].CopyTo(_heads.AsSpan(slot * FlowMiss.MaxHeadSize));
        _headSizes[slot] = size;
        _ids[slot] = id;
        _inPorts[slot] = key.InPort;
        _reasons[slot] = reason;
        _userData[slot] = userData;
        Volatile.Write(ref _tail, tail + 1);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _consumerWaiting) != 0 && Interlocked.Exchange(ref _consumerWaiting, 0) != 0)
        {
            _signal.Release();
        }

        return true;
    }
}
