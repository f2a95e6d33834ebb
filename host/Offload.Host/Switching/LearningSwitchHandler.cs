using System.Buffers;
using System.Threading.Channels;
using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Host.Switching;

/// <summary>
/// Composes the learning switch with another mailbox handler (the session tracker): every <see cref="FlowMiss"/> is
/// answered with an optional <see cref="FlowRemove"/> and a <see cref="FlowInstall"/>, queued in order on a per-session
/// channel that one pump task sends. Everything else goes to <paramref name="inner"/>.
/// </summary>
internal sealed partial class LearningSwitchHandler(IMailboxHandler inner, LearningSwitch policy, ILogger logger) : IMailboxHandler
{
    private const int OutboundCapacity = 8192;

    private readonly Lock _gate = new();
    private IReadOnlyList<FlowInstall> _staticFlows = [];

    private Channel<IMailboxMessage>? _outbound;
    private long _dropped;
    private long _packetIns;

    /// <summary>Answers not queued because the session's outbound queue was full or closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Controller-action upcalls (packet-ins) received; they are counted and logged, never answered with a flow.</summary>
    public long PacketIns => Interlocked.Read(ref _packetIns);

    public LearningSwitch Policy => policy;

    public void OnEstablished(MailboxSession session)
    {
        var channel = Channel.CreateBounded<IMailboxMessage>(new BoundedChannelOptions(OutboundCapacity) { SingleReader = true, SingleWriter = true });
        lock (_gate)
        {
            Volatile.Write(ref _outbound, channel);
            Enqueue(channel.Writer, policy.Revalidate(_staticFlows)); // a (re)connected NIC gets the static rules
        }

        _ = Task.Run(() => PumpAsync(session, channel.Reader));
        inner.OnEstablished(session);
    }

    /// <summary>New static rules: the connected NIC's static and learned flows are revalidated.</summary>
    public void UpdateRules(IReadOnlyList<FlowInstall> staticFlows)
    {
        lock (_gate)
        {
            _staticFlows = staticFlows;
            var messages = policy.Revalidate(staticFlows);
            if (Volatile.Read(ref _outbound)?.Writer is { } writer)
            {
                Enqueue(writer, messages);
            }
        }
    }

    private void Enqueue(ChannelWriter<IMailboxMessage> writer, List<IMailboxMessage> messages)
    {
        foreach (var message in messages)
        {
            if (!writer.TryWrite(message))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    public void OnClosed(MailboxSession session, string reason)
    {
        Interlocked.Exchange(ref _outbound, null)?.Writer.TryComplete();
        inner.OnClosed(session, reason);
    }

    public void OnHeartbeat(MailboxSession session, TimeSpan roundTrip) => inner.OnHeartbeat(session, roundTrip);

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type != MessageType.FlowMiss)
        {
            inner.OnMessage(session, header, payload);
            return;
        }

        FlowMiss miss;
        try
        {
            miss = (FlowMiss)MessageCodec.Decode(MessageType.FlowMiss, payload, stats: session.Counters.Decode)!;
        }
        catch (MessagePackSerializationException ex)
        {
            LogMalformed(logger, session.RemoteName, ex.Message);
            return;
        }

        if (miss.IsAction)
        {
            // A flow's controller action sent a copy: the NIC holds nothing and waits for nothing, so no flow is
            // installed (installing one would override the flow that carries the action).
            Interlocked.Increment(ref _packetIns);
            LogPacketIn(logger, miss.InPort, miss.UserData, miss.PacketHead.Length);
            return;
        }

        lock (_gate)
        {
            if (!policy.TryDecide(miss, out var install, out var invalidate))
            {
                LogMalformed(logger, session.RemoteName, "flow key shorter than 64 bytes");
                return;
            }

            LogUpcall(logger, miss.UpcallId, miss.InPort, install.Actions[0].Kind, install.Actions[0].Argument);
            var writer = Volatile.Read(ref _outbound)?.Writer;
            if (writer is null || (invalidate is not null && !writer.TryWrite(invalidate)) || !writer.TryWrite(install))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    private async Task PumpAsync(MailboxSession session, ChannelReader<IMailboxMessage> reader)
    {
        try
        {
            await foreach (var message in reader.ReadAllAsync().ConfigureAwait(false))
            {
                await session.SendAsync(message).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            LogSendFailed(logger, session.RemoteName, ex.Message);
        }
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Debug, Message = "Upcall {UpcallId} on port {InPort}: {Action} {Argument}")]
    private static partial void LogUpcall(ILogger logger, ulong upcallId, uint inPort, FlowActionKind action, ulong argument);

    [LoggerMessage(EventId = 3305, Level = LogLevel.Debug, Message = "Packet-in on port {InPort}: controller action user data {UserData}, {HeadSize} bytes")]
    private static partial void LogPacketIn(ILogger logger, uint inPort, ulong userData, int headSize);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Ignored a malformed FlowMiss from {Remote}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "Stopped sending flow answers to {Remote}: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string remote, string reason);
}
