using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Offload.Contracts.Messages;
using Offload.Contracts.Threading;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// The receive loop after the handshake, on a dedicated thread doing blocking reads: a frame is dispatched by the
/// thread the kernel wakes, not by a thread-pool continuation (on a loaded 2-core machine those waited 1-3 ms, and
/// once over 500 ms, for a pool thread). Handlers therefore run on this thread, one frame at a time, as before.
/// </summary>
public sealed partial class MailboxSession
{
    private const int InitialReceiveBuffer = 64 * 1024;

    /// <summary>How long one poll(2) waits before the receive thread checks for cancellation.</summary>
    private static readonly TimeSpan ReadinessPoll = TimeSpan.FromMilliseconds(500);

    private Task<string> ReceiveOnThreadAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                ApplyReceivePriority();
                done.TrySetResult(ReceiveLoop(cancellationToken));
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        { IsBackground = true, Name = "mailbox-rx " + RemoteName };
        thread.Start();
        return done.Task;
    }

    private static int s_priorityLogged;

    /// <summary>Raises this receive thread's scheduling as configured; the outcome is logged once per process.</summary>
    private void ApplyReceivePriority()
    {
        var requested = _options.ReceiveThreadPriority;
        var applied = ControlThreadScheduling.ApplyToCurrentThread(requested);
        if (Interlocked.Exchange(ref s_priorityLogged, 1) == 0)
        {
            LogReceivePriority(_logger, applied, requested);
        }
    }

    private string ReceiveLoop(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        int start = 0;
        int end = TakeHandshakeLeftover(ref buffer);
        using var abort = cancellationToken.Register(static s => ((MailboxSession)s!).AbortReceive(), this);
        var socket = _options.ReceiveInKernelPoll && _stream.Stream is NetworkStream network ? network.Socket : null;
        try
        {
            while (true)
            {
                string? fatal = DispatchFrames(buffer, ref start, end, out var echo);
                Volatile.Write(ref _pendingSize, end - start);
                if (fatal is not null)
                {
                    return fatal;
                }

                if (echo is not null)
                {
                    var sending = SendAsync(echo, cancellationToken);
                    if (!sending.IsCompletedSuccessfully)
                    {
                        sending.AsTask().GetAwaiter().GetResult();
                    }
                }

                MakeRoom(ref buffer, ref start, ref end);
                int read;
                try
                {
                    if (socket is not null)
                    {
                        // Park in the kernel on this thread, not behind the runtime's epoll thread (see ReadinessWait).
                        while (!ReadinessWait.WaitReadable(socket, ReadinessPoll))
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                        }
                    }

                    read = _stream.Stream.Read(buffer, end, buffer.Length - end);
                }
                catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is IOException or SocketException or ObjectDisposedException)
                {
                    throw new OperationCanceledException(cancellationToken);
                }

                if (read == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (end > start)
                    {
                        _counters.Truncated();
                        if (_counters.IsFirst(MailboxCounters.TruncatedReason))
                        {
                            LogTruncated(_logger, RemoteName, end - start);
                        }

                        return $"truncated frame: connection closed with {end - start} bytes of a frame pending";
                    }

                    return "closed by peer";
                }

                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Dispatches every whole frame in buffer[start..end); advances start past them.</summary>
    private string? DispatchFrames(byte[] buffer, ref int start, int end, out Heartbeat? echo)
    {
        echo = null;
        var sequence = new ReadOnlySequence<byte>(buffer, start, end - start);
        string? fatal = null;
        while (fatal is null)
        {
            var status = FrameReader.TryRead(ref sequence, _options.MaxFrameSize, out var header, out var payload);
            if (status == FrameStatus.Incomplete)
            {
                break;
            }

            if (status != FrameStatus.Complete)
            {
                _counters.BadFrame(status);
                if (_counters.IsFirst((int)status))
                {
                    LogBadFrame(_logger, RemoteName, status);
                }

                fatal = $"bad frame: {status}";
                break;
            }

            _counters.FrameIn(payload.Length + FrameFormat.LengthPrefixSize + FrameFormat.HeaderSize + FrameFormat.CrcSize);
            Volatile.Write(ref _lastReceived, _time.GetTimestamp());
            fatal = Dispatch(header, payload, ref echo);
        }

        start = end - (int)sequence.Length;
        return fatal;
    }

    /// <summary>Moves a partial frame to the front and grows the buffer when the frame it announces does not fit.</summary>
    private static void MakeRoom(ref byte[] buffer, ref int start, ref int end)
    {
        int pending = end - start;
        int needed = buffer.Length;
        if (pending >= FrameFormat.LengthPrefixSize)
        {
            // FrameReader already refused a length above MaxFrameSize, so this is bounded.
            needed = Math.Max(needed, FrameFormat.LengthPrefixSize + (int)BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(start)));
        }

        if (needed > buffer.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(needed);
            buffer.AsSpan(start, pending).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
        }
        else if (start > 0 && (pending == 0 || buffer.Length - end < buffer.Length / 4))
        {
            buffer.AsSpan(start, pending).CopyTo(buffer);
        }
        else
        {
            return;
        }

        start = 0;
        end = pending;
    }

    /// <summary>Bytes the handshake read past its last frame start the receive buffer.</summary>
    private int TakeHandshakeLeftover(ref byte[] buffer)
    {
        if (!_reader.TryRead(out var result))
        {
            return 0;
        }

        var leftover = result.Buffer;
        int length = (int)leftover.Length;
        if (length > buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(length);
        }

        leftover.CopyTo(buffer);
        _reader.AdvanceTo(leftover.End);
        return length;
    }

    /// <summary>Unblocks the receive thread's read (the session is ending).</summary>
    private void AbortReceive()
    {
        try
        {
            if (_stream.Stream is NetworkStream network)
            {
                network.Socket.Shutdown(SocketShutdown.Both);
            }
            else
            {
                _stream.Stream.Dispose();
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // already closed
        }
    }
}
