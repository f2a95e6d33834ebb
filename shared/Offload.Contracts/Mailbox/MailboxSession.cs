using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Offload.Contracts.Buffers;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// One mailbox connection: handshake, then a receive loop and a heartbeat loop until the peer is lost, a bad frame
/// arrives, or it is closed. Sends are serialized; receive callbacks come from one loop.
/// </summary>
public sealed partial class MailboxSession : IAsyncDisposable
{
    private readonly MailboxLink _stream;
    private readonly PipeReader _reader;
    private readonly MailboxOptions _options;
    private readonly MailboxCounters _counters;
    private readonly IMailboxHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly PooledBufferWriter _sendBuffer = new();
    private readonly CancellationTokenSource _closing = new();
    private ulong _sequence;
    private ulong _heartbeatNonce;
    private long _lastReceived;
    private long _lastRoundTripTicks = -1;
    private long _pendingSize;
    private int _disposed;

    internal MailboxSession(MailboxLink stream, MailboxOptions options, MailboxCounters counters, IMailboxHandler handler, ILogger logger, TimeProvider time)
    {
        _stream = stream;
        _reader = PipeReader.Create(stream.Stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        _options = options;
        _counters = counters;
        _handler = handler;
        _logger = logger;
        _time = time;
        _lastReceived = time.GetTimestamp();
    }

    /// <summary>The other end; null until the handshake completes.</summary>
    public MailboxPeer? Peer { get; private set; }

    /// <summary>The negotiated protocol version; 0 until the handshake completes.</summary>
    public ushort ProtocolVersion { get; private set; }

    public string RemoteName => _stream.RemoteName;

    /// <summary>The last heartbeat round trip, or null before the first echo.</summary>
    public TimeSpan? LastRoundTrip
    {
        get
        {
            long ticks = Interlocked.Read(ref _lastRoundTripTicks);
            return ticks < 0 ? null : TimeSpan.FromTicks(ticks);
        }
    }

    public MailboxCounters Counters => _counters;

    /// <summary>Frames and sends one message. Safe to call from any thread.</summary>
    public async ValueTask SendAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default)
        where TMessage : IMailboxMessage
    {
        ArgumentNullException.ThrowIfNull(message);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            _sendBuffer.Reset();
            ushort version = ProtocolVersion != 0 ? ProtocolVersion : _options.MaxProtocolVersion;
            var header = new MessageHeader(version, message.Type, 0, _sequence + 1);
            var tail = message is IMailboxMessageWithTail tailed ? tailed.Tail : default;
            int head = tail.IsEmpty ? 0 : FrameWriter.WriteHead(_sendBuffer, header, (IMailboxMessageWithTail)message);
            int size = tail.IsEmpty ? FrameWriter.Write(_sendBuffer, header, message) : _sendBuffer.WrittenCount + tail.Length;
            if (size - FrameFormat.LengthPrefixSize > _options.MaxFrameSize)
            {
                throw new InvalidOperationException(
                    $"{message.Type} message of {size} bytes exceeds Mailbox:MaxFrameSize ({_options.MaxFrameSize}); split it into smaller batches.");
            }

            _sequence++;
            var written = _sendBuffer.WrittenMemory;
            if (tail.IsEmpty)
            {
                await _stream.Stream.WriteAsync(written, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Head, the sender's own tail bytes (no copy into the frame buffer), then the CRC.
                await _stream.Stream.WriteAsync(written[..head], cancellationToken).ConfigureAwait(false);
                await _stream.Stream.WriteAsync(tail, cancellationToken).ConfigureAwait(false);
                await _stream.Stream.WriteAsync(written[head..], cancellationToken).ConfigureAwait(false);
            }

            _counters.FrameOut(size);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Ends the session; <see cref="RunAsync"/> returns soon after.</summary>
    public void Close()
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already disposed
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Close();
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.Stream.DisposeAsync().ConfigureAwait(false);
        await _sendLock.WaitAsync().ConfigureAwait(false);
        _sendBuffer.Dispose();
        _sendLock.Release();
        _closing.Dispose();
    }

    /// <summary>Runs the receive and heartbeat loops until the session ends; returns why it ended.</summary>
    internal async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var heartbeats = HeartbeatLoopAsync(linked.Token);
        string reason;
        try
        {
            reason = await ReceiveOnThreadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            reason = cancellationToken.IsCancellationRequested ? "shutting down" : "closed";
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            reason = ConnectionLost(ex.Message);
        }

        await linked.CancelAsync().ConfigureAwait(false);
        string? lost = await heartbeats.ConfigureAwait(false);
        return lost ?? reason;
    }

    /// <summary>A reset or error; when part of a frame was pending it is a truncated frame, counted like one.</summary>
    private string ConnectionLost(string error)
    {
        long pending = Volatile.Read(ref _pendingSize);
        if (pending == 0)
        {
            return $"connection error: {error}";
        }

        _counters.Truncated();
        if (_counters.IsFirst(MailboxCounters.TruncatedReason))
        {
            LogTruncated(_logger, RemoteName, pending);
        }

        return $"truncated frame: connection lost ({error}) with {pending} bytes of a frame pending";
    }

    private string? Dispatch(in MessageHeader header, in ReadOnlySequence<byte> payload, ref Heartbeat? echo)
    {
        try
        {
            switch (header.Type)
            {
                case MessageType.Heartbeat:
                    var reader = NewReader(payload);
                    var beat = Heartbeat.Read(ref reader, _counters.Decode);
                    if (beat.IsEcho)
                    {
                        var rtt = _time.GetElapsedTime(beat.SentAtTicks);
                        Interlocked.Exchange(ref _lastRoundTripTicks, rtt.Ticks);
                        _handler.OnHeartbeat(this, rtt);
                    }
                    else
                    {
                        echo = new Heartbeat { Nonce = beat.Nonce, SentAtTicks = beat.SentAtTicks, IsEcho = true };
                    }

                    return null;
                case MessageType.Error:
                    var errorReader = NewReader(payload);
                    var error = ErrorMessage.Read(ref errorReader, _counters.Decode);
                    LogPeerError(_logger, RemoteName, error.Code, error.Message);
                    return error.Code == ErrorCode.Incompatible ? $"peer reported: {error.Message}" : null;
                case MessageType.Hello:
                case MessageType.HelloAck:
                    _counters.Malformed();
                    return null;
                default:
                    if (!Enum.IsDefined(header.Type))
                    {
                        _counters.Decode.CountUnknownMessageType();
                        return null;
                    }

                    _handler.OnMessage(this, header, payload);
                    return null;
            }
        }
        catch (MessagePackSerializationException ex)
        {
            _counters.Malformed();
            if (_counters.IsFirst(MailboxCounters.MalformedReason))
            {
                LogMalformed(_logger, RemoteName, header.Type, ex.Message);
            }

            return null;
        }
    }

    private MessagePackReader NewReader(in ReadOnlySequence<byte> payload) =>
        new(payload, new MessagePackReaderOptions { MaxFrameSize = _options.MaxFrameSize });

    private async Task<string?> HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        var period = _options.HeartbeatPeriod;
        var tick = period / 4;
        long lastSent = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                long now = _time.GetTimestamp();
                if (lastSent == 0 || _time.GetElapsedTime(lastSent, now) >= period)
                {
                    lastSent = now;
                    await SendAsync(new Heartbeat { Nonce = ++_heartbeatNonce, SentAtTicks = now }, cancellationToken).ConfigureAwait(false);
                }

                var silent = _time.GetElapsedTime(Volatile.Read(ref _lastReceived), now);
                if (silent > period * 2.5)
                {
                    _counters.PeerLost();
                    LogPeerLost(_logger, RemoteName, (long)silent.TotalMilliseconds);
                    Close();
                    return $"peer lost: nothing received for {(long)silent.TotalMilliseconds} ms (heartbeat period {(long)period.TotalMilliseconds} ms)";
                }

                await Task.Delay(tick, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // session ending
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Close();
        }

        return null;
    }
}
