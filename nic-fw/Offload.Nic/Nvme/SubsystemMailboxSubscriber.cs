using System.Buffers;
using Microsoft.Extensions.Logging;
using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Nic.Mailbox;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme;

/// <summary>
/// Applies the host's <see cref="SubsystemSet"/> and <see cref="SubsystemRemove"/> to the running NVMe target's catalog
/// and answers <c>Ack { AckedSequence, Epoch = 0 }</c> or <c>Error { Rejected, RelatedSequence }</c>. Messages are
/// applied in arrival order on the session's receive loop, so everything the host sends after them (rates, flows)
/// finds the subsystems already in place. When nic-fw runs without an NVMe target (<paramref name="catalog"/> null)
/// every such message is rejected with a line saying so.
/// </summary>
internal sealed partial class SubsystemMailboxSubscriber(SubsystemCatalog? catalog, ILogger<SubsystemMailboxSubscriber> logger) : INicMailboxSubscriber
{
    private long _applied;
    private long _rejected;

    /// <summary>SubsystemSet and SubsystemRemove messages applied.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Messages rejected (answered with Error).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type is not (MessageType.SubsystemSet or MessageType.SubsystemRemove))
        {
            return;
        }

        IMailboxMessage? message;
        try
        {
            message = MessageCodec.Decode(header.Type, payload, stats: session.Counters.Decode);
        }
        catch (MessagePackSerializationException ex)
        {
            Reply(session, header.Sequence, $"malformed {header.Type}: {ex.Message}");
            return;
        }

        string? error = message switch
        {
            SubsystemSet set => Apply(set),
            SubsystemRemove remove => Apply(remove),
            _ => "unsupported message",
        };
        Reply(session, header.Sequence, error);
    }

    /// <summary>Applies one SubsystemSet; returns null on success or a one-line reason.</summary>
    public string? Apply(SubsystemSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (catalog is null)
        {
            return $"subsystem {set.Nqn}: this nic-fw runs without an NVMe target; start it with an Nvme section (for example --Nvme:Listen=0.0.0.0:4420)";
        }

        var namespaces = new NamespaceSpec[set.Namespaces.Count];
        for (var i = 0; i < namespaces.Length; i++)
        {
            var n = set.Namespaces[i];
            namespaces[i] = new NamespaceSpec(n.Nsid, n.Size > long.MaxValue ? -1 : (long)n.Size, n.BlockSize > int.MaxValue ? -1 : (int)n.BlockSize, n.Path);
        }

        if (!catalog.TrySet(set.Nqn, set.AllowAnyHost, [.. set.Hosts], namespaces, out var error))
        {
            return error;
        }

        LogSubsystemSet(set.Nqn, namespaces.Length, set.AllowAnyHost, set.Hosts.Count, set.Revision);
        return null;
    }

    /// <summary>Applies one SubsystemRemove; returns null on success or a one-line reason.</summary>
    public string? Apply(SubsystemRemove remove)
    {
        ArgumentNullException.ThrowIfNull(remove);
        if (catalog is null)
        {
            return null; // nothing to remove
        }

        if (!catalog.TryRemove(remove.Nqn, out var failed, out var error))
        {
            return error;
        }

        LogSubsystemRemoved(remove.Nqn, failed, remove.Revision);
        return null;
    }

    private void Reply(MailboxSession session, ulong sequence, string? error)
    {
        if (error is null)
        {
            Interlocked.Increment(ref _applied);
            _ = SendAsync(session, new Ack { AckedSequence = sequence, Epoch = 0 });
        }
        else
        {
            Interlocked.Increment(ref _rejected);
            LogRejected(error);
            _ = SendAsync(session, new ErrorMessage { Code = ErrorCode.Rejected, Message = error, RelatedSequence = sequence });
        }
    }

    private async Task SendAsync<T>(MailboxSession session, T message)
        where T : IMailboxMessage
    {
        try
        {
            await session.SendAsync(message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            LogReplyFailed(message.Type, ex.Message);
        }
    }

    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Subsystem {Nqn} set: {Namespaces} namespaces, allow any host {AllowAnyHost}, {Hosts} allowed hosts (desired state revision {Revision})")]
    private partial void LogSubsystemSet(string nqn, int namespaces, bool allowAnyHost, int hosts, ulong revision);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Subsystem {Nqn} removed: {Controllers} controllers failed and disconnected (desired state revision {Revision})")]
    private partial void LogSubsystemRemoved(string nqn, int controllers, ulong revision);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Subsystem change rejected: {Reason}")]
    private partial void LogRejected(string reason);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Debug, Message = "{Type} reply not sent: {Reason}")]
    private partial void LogReplyFailed(MessageType type, string reason);
}
