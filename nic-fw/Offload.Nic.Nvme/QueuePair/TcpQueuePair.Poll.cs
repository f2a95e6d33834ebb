using System.Diagnostics;
using System.Net.Sockets;
using Offload.Nic.Nvme.Transport;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>
/// The queue pair driven by a <see cref="PollGroup"/> thread instead of its own asynchronous loop: the same framing,
/// state machine and batching as <see cref="RunAsync"/>, but with non-blocking receive/send calls made directly on
/// the group's thread (no thread-pool hops, no completion callbacks).
/// </summary>
internal sealed partial class TcpQueuePair
{
    private const int PollRounds = 16;

    private PollGroup? _pollGroup;
    private int _sendOffset;
    private bool _pollClosing;

    /// <summary>Set by another thread to ask the group to poll this connection (grant, asynchronous event, abort).</summary>
    internal int PollWakeRequested;

    /// <summary>Group-thread state: poll on the next pass.</summary>
    internal bool PollReady { get; set; }

    /// <summary>Group-thread state: Stopwatch timestamp to poll again at (0: none), for rate limiting.</summary>
    internal long PollWakeAt { get; set; }

    /// <summary>Group-thread state: index in the group's slot table (also the epoll token).</summary>
    internal int PollSlot { get; set; }

    internal Socket? Socket => _socket;

    /// <summary>Hands this connection to a poll group; call once, before <see cref="PollGroup.Add"/>.</summary>
    internal void AttachPollGroup(PollGroup group) => _pollGroup = group;

    /// <summary>One non-blocking step on the group thread: send what is pending, process buffered PDUs, receive until
    /// the socket has nothing more (edge-triggered epoll needs the drain), repeat for at most
    /// <see cref="PollRounds"/> rounds.</summary>
    internal PollStatus Poll()
    {
        var drained = false;
        try
        {
            for (var round = 0; round < PollRounds; round++)
            {
                if (Volatile.Read(ref _aborted) != 0)
                {
                    return PollStatus.Closed;
                }

                if (HasPendingOutput && !TrySendPending(out var failed))
                {
                    return failed ? PollStatus.Closed : PollStatus.Wait;
                }

                if (_pollClosing || _closeAfterFlush)
                {
                    return PollStatus.Closed;
                }

                var result = ProcessBuffered();
                if ((RunGranted() | DeliverAsyncEvents()) && result == ProcessResult.NeedReceive)
                {
                    result = ProcessResult.NeedFlush;
                }

                if (result == ProcessResult.Close)
                {
                    _pollClosing = true;
                    continue;
                }

                if (HasPendingOutput && !TrySendPending(out failed))
                {
                    return failed ? PollStatus.Closed : PollStatus.Wait;
                }

                if (result == ProcessResult.RateLimited)
                {
                    PollWakeAt = Stopwatch.GetTimestamp() + Math.Max(1, (long)(_rateLimitDelay.TotalSeconds * Stopwatch.Frequency));
                    return PollStatus.Timed;
                }

                if (result == ProcessResult.NeedFlush || _closeAfterFlush)
                {
                    continue;
                }

                if (drained)
                {
                    // The last receive came back short: the socket was empty then, and anything arriving since raises a
                    // new edge-triggered event, so the receive that would only say EAGAIN is skipped (one syscall per
                    // batch fewer at deep queues).
                    return PollStatus.Wait;
                }

                if (!HasReceiveRoom())
                {
                    return PollStatus.Wait;
                }

                var room = _receive.Length - _receiveEnd;
                var received = _socket!.Receive(_receive.AsSpan(_receiveEnd), SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock)
                {
                    return PollStatus.Wait;
                }

                if (error != SocketError.Success || received == 0)
                {
                    return PollStatus.Closed;
                }

                _receiveEnd += received;
                drained = received < room;
            }

            // Out of rounds with a batch possibly pending: no zero-copy pin may outlive this step (another connection
            // of this thread could write to those blocks next), so send it now or spill it.
            if (_segmentCount > 0 && !TrySendPending(out var unsent))
            {
                return unsent ? PollStatus.Closed : PollStatus.Wait;
            }

            return PollStatus.Again;
        }
        catch (ObjectDisposedException)
        {
            return PollStatus.Closed;
        }
#pragma warning disable CA1031 // Last-resort guard: a bug must close this connection only, never the poll group.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _target.CountUnexpected(ex);
            return PollStatus.Closed;
        }
    }

    /// <summary>Group thread, after the socket left the epoll set: the same cleanup as the asynchronous loop's, then
    /// the descriptor is closed.</summary>
    internal void PollCleanup()
    {
        Cleanup();
        _socket?.Dispose();
    }

    /// <summary>Sends the rest of the batch without blocking; false when the socket is full (then an EPOLLOUT edge
    /// polls again) or failed.</summary>
    private bool TrySendPending(out bool failed)
    {
        if (!TrySendGathered(out failed))
        {
            return false;
        }

        if (!TrySendFlat(_send, ref _sendOffset, _sendLength, out failed))
        {
            return false;
        }

        _sendOffset = 0;
        _sendLength = 0;
        CompletionQueue.Set(0);
        return true;
    }

    /// <summary>Sends buffer[offset..length) without blocking, advancing <paramref name="offset"/>; false when the socket
    /// is full (an EPOLLOUT edge polls again) or failed.</summary>
    private bool TrySendFlat(byte[] buffer, ref int offset, int length, out bool failed)
    {
        failed = false;
        while (offset < length)
        {
            var sent = _socket!.Send(buffer.AsSpan(offset, length - offset), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                _pollGroup?.CountDeferredSend();
                return false;
            }

            if (error != SocketError.Success)
            {
                failed = true;
                return false;
            }

            offset += sent;
        }

        return true;
    }

    /// <summary>Wakes whichever loop drives this connection.</summary>
    private void Signal()
    {
        _signal.Set();
        _pollGroup?.Wake(this);
    }
}
