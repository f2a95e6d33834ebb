using System.Buffers;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Contracts.Mailbox;

public sealed partial class MailboxSession
{
    /// <summary>Device end: send Hello, expect HelloAck. Returns null on success, or why it failed.</summary>
    internal async Task<string?> HandshakeAsDeviceAsync(MailboxIdentity self, CancellationToken cancellationToken)
    {
        await SendAsync(new Hello
        {
            BoardId = self.Id,
            FirmwareVersion = self.SoftwareVersion,
            MinProtocolVersion = _options.MinProtocolVersion,
            MaxProtocolVersion = _options.MaxProtocolVersion,
            Capabilities = self.Capabilities,
        }, cancellationToken).ConfigureAwait(false);

        var (header, payload, failure) = await ReadHandshakeFrameAsync(cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        var reader = new MessagePackReader(payload);
        switch (header.Type)
        {
            case MessageType.HelloAck:
                var ack = HelloAck.Read(ref reader, _counters.Decode);
                if (ack.ProtocolVersion < _options.MinProtocolVersion || ack.ProtocolVersion > _options.MaxProtocolVersion)
                {
                    string why = $"incompatible protocol: host '{ack.HostId}' chose version {ack.ProtocolVersion}, NIC speaks {_options.MinProtocolVersion}..{_options.MaxProtocolVersion}";
                    await TrySendErrorAsync(ErrorCode.Incompatible, why, cancellationToken).ConfigureAwait(false);
                    return why;
                }

                ProtocolVersion = ack.ProtocolVersion;
                Peer = new MailboxPeer(ack.HostId, ack.SoftwareVersion, ack.ProtocolVersion, ack.Capabilities, RemoteName, _time.GetUtcNow());
                return null;
            case MessageType.Error:
                var error = ErrorMessage.Read(ref reader, _counters.Decode);
                return error.Code == ErrorCode.Incompatible ? error.Message : $"host refused the handshake: {error.Code}: {error.Message}";
            default:
                string unexpected = $"expected HelloAck, got {header.Type}";
                await TrySendErrorAsync(ErrorCode.Malformed, unexpected, cancellationToken).ConfigureAwait(false);
                return unexpected;
        }
    }

    /// <summary>Host end: expect Hello, answer HelloAck with the highest common version, or Error(Incompatible).</summary>
    internal async Task<string?> HandshakeAsHostAsync(MailboxIdentity self, CancellationToken cancellationToken)
    {
        var (header, payload, failure) = await ReadHandshakeFrameAsync(cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        if (header.Type != MessageType.Hello)
        {
            string unexpected = $"expected Hello, got {header.Type}";
            await TrySendErrorAsync(ErrorCode.Malformed, unexpected, cancellationToken).ConfigureAwait(false);
            return unexpected;
        }

        var reader = new MessagePackReader(payload);
        var hello = Hello.Read(ref reader, _counters.Decode);
        if (!ProtocolVersions.TryNegotiate(_options.MinProtocolVersion, _options.MaxProtocolVersion, hello.MinProtocolVersion, hello.MaxProtocolVersion, out ushort version))
        {
            string why = $"incompatible protocol: NIC '{hello.BoardId}' (firmware {hello.FirmwareVersion}) speaks versions "
                + $"{hello.MinProtocolVersion}..{hello.MaxProtocolVersion}, this host speaks {_options.MinProtocolVersion}..{_options.MaxProtocolVersion}; "
                + "upgrade the older side";
            await TrySendErrorAsync(ErrorCode.Incompatible, why, cancellationToken).ConfigureAwait(false);
            return why;
        }

        ProtocolVersion = version;
        await SendAsync(new HelloAck
        {
            HostId = self.Id,
            SoftwareVersion = self.SoftwareVersion,
            ProtocolVersion = version,
            Capabilities = self.Capabilities,
        }, cancellationToken).ConfigureAwait(false);
        Peer = new MailboxPeer(hello.BoardId, hello.FirmwareVersion, version, hello.Capabilities, RemoteName, _time.GetUtcNow());
        return null;
    }

    private async Task TrySendErrorAsync(ErrorCode code, string message, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(new ErrorMessage { Code = code, Message = message }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // the peer is gone already; the failure is reported by the caller
        }
    }

    /// <summary>Reads one whole frame (copied out of the pipe) within the handshake timeout.</summary>
    private async Task<(MessageHeader Header, ReadOnlyMemory<byte> Payload, string? Failure)> ReadHandshakeFrameAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.HandshakeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _closing.Token);
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var status = FrameReader.TryRead(ref buffer, _options.MaxFrameSize, out var header, out var payload);
                if (status == FrameStatus.Complete)
                {
                    var copy = payload.ToArray();
                    _counters.FrameIn(copy.Length + FrameFormat.LengthPrefixSize + FrameFormat.HeaderSize + FrameFormat.CrcSize);
                    Volatile.Write(ref _lastReceived, _time.GetTimestamp());
                    _reader.AdvanceTo(buffer.Start);
                    return (header, copy, null);
                }

                if (status != FrameStatus.Incomplete)
                {
                    _counters.BadFrame(status);
                    if (_counters.IsFirst((int)status))
                    {
                        LogBadFrame(_logger, RemoteName, status);
                    }

                    _reader.AdvanceTo(buffer.Start);
                    return (default, default, $"bad frame during handshake: {status}");
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return (default, default, buffer.IsEmpty ? "closed by peer during handshake" : "truncated frame during handshake");
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (default, default, $"handshake timed out after {(long)_options.HandshakeTimeout.TotalMilliseconds} ms");
        }
        catch (MessagePackSerializationException ex)
        {
            _counters.Malformed();
            return (default, default, $"malformed handshake message: {ex.Message}");
        }
    }
}
