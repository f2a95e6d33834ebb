using System.Net.Sockets;

namespace Offload.Emulation.LoadGen;

/// <summary>
/// Flat-combining sender for one connection: callers append whole PDUs to a pending buffer; whoever finds no send
/// in progress becomes the sender and writes everything accumulated meanwhile in one <c>send</c> (double-buffered, so
/// appends continue while it sends). At high queue depth many capsules leave in one segment — what
/// spdk_nvme_perf's batched submission and the kernel initiator's MSG_MORE achieve — and the target receives them
/// in one read. Synchronous and allocation-free.
/// </summary>
internal sealed class SendCombiner(Socket socket, int capacity)
{
    private readonly Lock _gate = new();
    private byte[] _pending = new byte[capacity];
    private byte[] _spare = new byte[capacity];
    private int _length;
    private bool _sending;
    private bool _corked;

    /// <summary>Appends one PDU given in up to three parts and returns once it is sent or another caller that is
    /// sending will send it.</summary>
    public void Send(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second = default, ReadOnlySpan<byte> third = default)
    {
        var total = first.Length + second.Length + third.Length;
        if (total > capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(first), total, $"A PDU of {total} bytes exceeds the send buffer's {capacity}.");
        }

        while (true)
        {
            var drainFirst = false;
            lock (_gate)
            {
                if (_length + total <= _pending.Length)
                {
                    var destination = _pending.AsSpan(_length);
                    first.CopyTo(destination);
                    second.CopyTo(destination[first.Length..]);
                    third.CopyTo(destination[(first.Length + second.Length)..]);
                    _length += total;
                    if (_sending || (_corked && _length <= _pending.Length / 2))
                    {
                        return;
                    }

                    _sending = true;
                    break;
                }

                if (!_sending)
                {
                    // Full while corked: send what is held, then append.
                    _sending = true;
                    drainFirst = true;
                }
            }

            if (drainFirst)
            {
                Drain();
                continue;
            }

            // Full: the sender is draining; let it run.
            Thread.Yield();
        }

        Drain();
    }

    /// <summary>Holds appended PDUs back until <see cref="Uncork"/> (or until the buffer could not take another
    /// maximum PDU): the receive loop corks while it completes a batch of responses, so the commands those completions
    /// issue leave together in one <c>send</c>, like the C reference's one writev per batch.</summary>
    public void Cork()
    {
        lock (_gate)
        {
            _corked = true;
        }
    }

    /// <summary>Sends whatever accumulated while corked (unless a sender is already draining it).</summary>
    public void Uncork()
    {
        lock (_gate)
        {
            _corked = false;
            if (_sending || _length == 0)
            {
                return;
            }

            _sending = true;
        }

        Drain();
    }

    private void Drain()
    {
        try
        {
            while (true)
            {
                byte[] buffer;
                int length;
                lock (_gate)
                {
                    if (_length == 0)
                    {
                        _sending = false;
                        return;
                    }

                    buffer = _pending;
                    length = _length;
                    _pending = _spare;
                    _spare = buffer;
                    _length = 0;
                }

                var data = buffer.AsSpan(0, length);
                while (!data.IsEmpty)
                {
                    data = data[socket.Send(data, SocketFlags.None)..];
                }
            }
        }
        catch
        {
            lock (_gate)
            {
                _sending = false;
                _length = 0;
            }

            throw;
        }
    }
}
