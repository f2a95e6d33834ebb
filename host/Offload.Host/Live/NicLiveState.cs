using System.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Host.Live;

/// <summary>
/// What the operator views show about one NIC endpoint: the current mailbox session (to send flow-dump and capture
/// requests on), when the NIC was last heard from, and its latest QueueOccupancy and FlowMetadataBatch reports.
/// Replies to requests (<see cref="FlowDumpReply"/>, <see cref="CaptureFrames"/>) are routed to their waiters.
/// </summary>
/// <remarks>
/// Callbacks come from the session's receive loop; readers (management API) call from request threads. Reports are
/// immutable once stored and swapped by reference, so readers never see a half-updated one.
/// </remarks>
internal sealed partial class NicLiveState(string endpoint, TimeProvider time) : IMailboxHandler
{
    private MailboxSession? _session;
    private QueueOccupancy? _occupancy;
    private FlowMetadataBatch? _flows;
    private FlowMetadataBatch[] _flowParts = [];
    private long _lastSeenTicks;
    private long _messages;
    private long _malformed;

    /// <summary>Mailbox endpoint offloadd dials for this NIC.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The established session, or null while disconnected.</summary>
    public MailboxSession? Session => Volatile.Read(ref _session);

    /// <summary>Board id of the connected (or last connected) NIC; null if it never connected.</summary>
    public string? BoardId { get; private set; }

    /// <summary>Firmware version of the connected (or last connected) NIC.</summary>
    public string? FirmwareVersion { get; private set; }

    /// <summary>When anything (message or heartbeat) last arrived; null if never.</summary>
    public DateTimeOffset? LastSeen
    {
        get
        {
            long ticks = Interlocked.Read(ref _lastSeenTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Messages received since offloadd started.</summary>
    public long MessagesReceived => Interlocked.Read(ref _messages);

    /// <summary>Reports or replies that failed to decode (ignored).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>The latest occupancy report, or null before the first.</summary>
    public QueueOccupancy? Occupancy => Volatile.Read(ref _occupancy);

    /// <summary>The latest flow metadata report, or null before the first.</summary>
    public FlowMetadataBatch? Flows => Volatile.Read(ref _flows);

    /// <summary>Continuation batches (Part 1, 2, ...) of the latest period: connection records that did not fit in
    /// <see cref="Flows"/>. Empty when the period fit in one batch.</summary>
    public IReadOnlyList<FlowMetadataBatch> FlowParts => Volatile.Read(ref _flowParts);

    public void OnEstablished(MailboxSession session)
    {
        BoardId = session.Peer?.Id;
        FirmwareVersion = session.Peer?.SoftwareVersion;
        Touch();
        Volatile.Write(ref _session, session);
    }

    public void OnClosed(MailboxSession session, string reason)
    {
        Interlocked.CompareExchange(ref _session, null, session);
        Volatile.Write(ref _occupancy, null);
        Volatile.Write(ref _flows, null);
        Volatile.Write(ref _flowParts, []);
        FailPending($"the NIC at {Endpoint} disconnected ({reason})");
    }

    public void OnHeartbeat(MailboxSession session, TimeSpan roundTrip) => Touch();

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        Interlocked.Increment(ref _messages);
        Touch();
        if (header.Type is not (MessageType.QueueOccupancy or MessageType.FlowMetadataBatch or MessageType.FlowDumpReply or MessageType.CaptureFrames))
        {
            return;
        }

        IMailboxMessage? message;
        try
        {
            message = MessageCodec.Decode(header.Type, payload, stats: session.Counters.Decode);
        }
        catch (MessagePackSerializationException)
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        switch (message)
        {
            case QueueOccupancy occupancy:
                Volatile.Write(ref _occupancy, occupancy);
                break;
            case FlowMetadataBatch flows:
                OnFlowMetadata(flows);
                break;
            case FlowDumpReply reply:
                OnFlowDumpReply(reply);
                break;
            case CaptureFrames frames:
                OnCaptureFrames(frames);
                break;
        }
    }

    /// <summary>Part 0 starts a period (its parts are dropped); a later part of the same period is appended, one of
    /// another period (a part 0 lost) is ignored. Single writer: the session's receive loop.</summary>
    internal void OnFlowMetadata(FlowMetadataBatch flows)
    {
        if (flows.Part == 0)
        {
            Volatile.Write(ref _flowParts, []);
            Volatile.Write(ref _flows, flows);
            return;
        }

        if (Volatile.Read(ref _flows) is { } head && head.TimestampUnixNanos == flows.TimestampUnixNanos)
        {
            Volatile.Write(ref _flowParts, [.. Volatile.Read(ref _flowParts), flows]);
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastSeenTicks, time.GetUtcNow().UtcTicks);
}
