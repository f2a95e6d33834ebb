using Microsoft.Extensions.Logging;

namespace Offload.Contracts.Mailbox;

/// <summary>
/// The host's end of the mailbox for one NIC: connects, answers Hello, keeps the session alive, and reconnects with
/// exponential backoff and ±20% jitter whenever the session ends.
/// </summary>
public sealed partial class MailboxClient
{
    private readonly IMailboxTransport _transport;
    private readonly MailboxOptions _options;
    private readonly MailboxIdentity _identity;
    private readonly IMailboxHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private volatile MailboxSession? _session;
    private volatile string? _lastFailure;

    public MailboxClient(IMailboxTransport transport, MailboxOptions options, MailboxIdentity identity, IMailboxHandler handler, ILogger logger, TimeProvider? time = null, Random? random = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _random = random ?? Random.Shared;
    }

    public MailboxEndpoint Endpoint => _transport.Endpoint;

    public MailboxCounters Counters { get; } = new();

    /// <summary>The established session, or null while disconnected.</summary>
    public MailboxSession? Session => _session;

    /// <summary>Why the last connection attempt or session ended, or null.</summary>
    public string? LastFailure => _lastFailure;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectInitialDelay;
        int attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            attempt++;
            bool established = false;
            try
            {
                var stream = await _transport.ConnectAsync(cancellationToken).ConfigureAwait(false);
                var session = new MailboxSession(stream, _options, Counters, _handler, _logger, _time);
                await using (session.ConfigureAwait(false))
                {
                    string? failure = await session.HandshakeAsHostAsync(_identity, cancellationToken).ConfigureAwait(false);
                    if (failure is not null)
                    {
                        Counters.HandshakeFailed();
                        _lastFailure = failure;
                        LogHandshakeFailed(_logger, Endpoint.ToString(), failure);
                    }
                    else
                    {
                        established = true;
                        attempt = 0;
                        delay = _options.ReconnectInitialDelay;
                        Counters.Connected();
                        _session = session;
                        var peer = session.Peer!;
                        LogEstablished(_logger, peer.Id, peer.SoftwareVersion, Endpoint.ToString(), peer.ProtocolVersion);
                        _handler.OnEstablished(session);
                        string reason = await session.RunAsync(cancellationToken).ConfigureAwait(false);
                        _session = null;
                        _lastFailure = reason;
                        LogClosed(_logger, peer.Id, reason);
                        _handler.OnClosed(session, reason);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                _lastFailure = $"connect to {Endpoint} failed: {ex.Message}";
                if (attempt == 1 || attempt % 20 == 0)
                {
                    LogConnectFailed(_logger, Endpoint.ToString(), ex.Message, attempt);
                }
            }

            _session = null;
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (!established)
            {
                var wait = Jitter(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
                try
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>±20% uniform jitter so many hosts do not reconnect in lockstep.</summary>
    internal TimeSpan Jitter(TimeSpan delay) => TimeSpan.FromTicks((long)(delay.Ticks * (0.8 + (0.4 * _random.NextDouble()))));
}
