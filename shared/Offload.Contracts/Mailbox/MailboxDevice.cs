using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Offload.Contracts.Messages;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// The NIC's end of the mailbox: listens, greets each host with Hello, and keeps every established session alive with
/// heartbeats. A bad frame resets only that connection; the device keeps listening.
/// </summary>
public sealed partial class MailboxDevice
{
    private readonly IMailboxTransport _transport;
    private readonly MailboxOptions _options;
    private readonly MailboxIdentity _identity;
    private readonly IMailboxHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<MailboxSession, byte> _sessions = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MailboxDevice(IMailboxTransport transport, MailboxOptions options, MailboxIdentity identity, IMailboxHandler handler, ILogger logger, TimeProvider? time = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
    }

    public MailboxCounters Counters { get; } = new();

    public MailboxEndpoint Endpoint => _transport.Endpoint;

    /// <summary>Completes once the listener is bound (faults if binding failed).</summary>
    public Task Listening => _listening.Task;

    /// <summary>Established sessions (normally one: the local offloadd).</summary>
    public IReadOnlyCollection<MailboxSession> Sessions => [.. _sessions.Keys.Where(s => s.Peer is not null)];

    /// <summary>Sends a message to every established session; a session that fails to take it is closed.</summary>
    public async ValueTask BroadcastAsync<TMessage>(TMessage message, CancellationToken cancellationToken = default)
        where TMessage : IMailboxMessage
    {
        foreach (var session in _sessions.Keys)
        {
            if (session.Peer is null)
            {
                continue;
            }

            try
            {
                await session.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                session.Close();
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IMailboxListener listener;
        try
        {
            listener = await _transport.ListenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _listening.TrySetException(ex);
            throw;
        }

        _listening.TrySetResult();
        LogListening(_logger, _transport.Endpoint.ToString());
        var serving = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                MailboxLink stream;
                try
                {
                    stream = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
                {
                    // IOException: a shared-memory rendezvous with one host failed; the listener keeps serving.
                    LogAcceptFailed(_logger, ex.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                serving.RemoveAll(t => t.IsCompleted);
                serving.Add(ServeAsync(stream, cancellationToken));
            }
        }
        finally
        {
            await listener.DisposeAsync().ConfigureAwait(false);
            foreach (var session in _sessions.Keys)
            {
                session.Close();
            }

            await Task.WhenAll(serving).ConfigureAwait(false);
        }
    }

    private async Task ServeAsync(MailboxLink stream, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var session = new MailboxSession(stream, _options, Counters, _handler, _logger, _time);
        _sessions.TryAdd(session, 0);
        try
        {
            string? failure = await session.HandshakeAsDeviceAsync(_identity, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                Counters.HandshakeFailed();
                LogHandshakeFailed(_logger, stream.RemoteName, failure);
                return;
            }

            Counters.Connected();
            var peer = session.Peer!;
            LogEstablished(_logger, peer.Id, peer.RemoteName, peer.ProtocolVersion);
            _handler.OnEstablished(session);
            string reason = await session.RunAsync(cancellationToken).ConfigureAwait(false);
            LogClosed(_logger, peer.Id, reason);
            _handler.OnClosed(session, reason);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            LogHandshakeFailed(_logger, stream.RemoteName, ex.Message);
        }
        finally
        {
            _sessions.TryRemove(session, out _);
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
