using System.Net.Sockets;

namespace Offload.Nic.Nvme.QueuePair;

/// <summary>
/// The asynchronous per-connection loop: the fallback driver when no <see cref="Transport.PollGroup"/> runs the
/// connection (TargetConfig.PollGroup off, not Linux x86-64, or a fake clock). One receive, process, one send per batch
/// on the thread pool; parks on <see cref="QueuePairSignal"/> while commands wait for the arbiter.
/// </summary>
internal sealed partial class TcpQueuePair
{
    public async Task RunAsync()
    {
        try
        {
            while (true)
            {
                var result = ProcessBuffered();
                if ((RunGranted() | DeliverAsyncEvents()) && result == ProcessResult.NeedReceive)
                {
                    result = ProcessResult.NeedFlush;
                }

                if (_sendLength > 0)
                {
                    await FlushAsync().ConfigureAwait(false);
                }

                if (result == ProcessResult.Close || _closeAfterFlush)
                {
                    break;
                }

                if (result == ProcessResult.RateLimited)
                {
                    await Task.Delay(_rateLimitDelay, _target.Time).ConfigureAwait(false);
                    continue;
                }

                if (result == ProcessResult.NeedFlush)
                {
                    continue;
                }

                if (_receivePending)
                {
                    // Parked: woken by the receive completing, an arbiter grant or an asynchronous event.
                    if (Volatile.Read(ref _receiveCompleted) == 0)
                    {
                        await _signal.WaitAsync().ConfigureAwait(false);
                    }

                    if (Volatile.Read(ref _receiveCompleted) != 0 && !CompleteReceive(_pendingReceive.GetAwaiter().GetResult()))
                    {
                        break;
                    }

                    continue;
                }

                if (!HasReceiveRoom())
                {
                    await _signal.WaitAsync().ConfigureAwait(false);
                    continue;
                }

#pragma warning disable CA2012 // The ValueTask is consumed exactly once: at once when complete, else by await or by the parked path's GetResult after its completion callback.
                var receive = _socket!.ReceiveAsync(_receive.AsMemory(_receiveEnd), SocketFlags.None);
#pragma warning restore CA2012
                if (receive.IsCompleted)
                {
                    if (!CompleteReceive(receive.Result))
                    {
                        break;
                    }

                    continue;
                }

                if (_sqWaiting > 0 || QueueId == 0)
                {
                    // Commands wait for the core's arbiter (or this is the admin queue, which AERs may wake): wait
                    // for whichever comes first without giving up the receive.
                    _receivePending = true;
                    Volatile.Write(ref _receiveCompleted, 0);
                    _pendingReceive = receive;
                    receive.GetAwaiter().UnsafeOnCompleted(_onReceiveCompleted);
                    continue;
                }

                if (!CompleteReceive(await receive.ConfigureAwait(false)))
                {
                    break;
                }
            }
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
#pragma warning disable CA1031 // Last-resort guard: a bug must close this connection only, never the target.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _target.CountUnexpected(ex);
        }
        finally
        {
            Cleanup();
        }
    }

    /// <summary>Accounts a finished receive; false when the peer closed.</summary>
    private bool CompleteReceive(int received)
    {
        _receivePending = false;
        _pendingReceive = default;
        if (received == 0)
        {
            return false;
        }

        _receiveEnd += received;
        return true;
    }

    private void OnReceiveCompleted()
    {
        Volatile.Write(ref _receiveCompleted, 1);
        _signal.Set();
    }

    private async ValueTask FlushAsync()
    {
        var offset = 0;
        while (offset < _sendLength)
        {
            offset += await _socket!.SendAsync(_send.AsMemory(offset, _sendLength - offset), SocketFlags.None).ConfigureAwait(false);
        }

        _sendLength = 0;
        CompletionQueue.Set(0);
    }
}
