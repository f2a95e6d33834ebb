using System.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Controller.Explain;
using Offload.Controller.Policy;
using Offload.Controller.Telemetry;

namespace Offload.Host.Loop;

/// <summary>
/// offloadd's half of the closed loop for one NIC: every <see cref="QueueOccupancy"/> the NIC sends (each period, and
/// at once on a threshold crossing) is fed with the latest <see cref="FlowMetadataBatch"/> to the VS controller
/// policy; a changed result (or any threshold-triggered evaluation) goes back as a full <see cref="RateUpdate"/>.
/// The NIC's Ack is recorded. Decisions stay in the policy's log for <c>offloadctl explain</c>.
/// Callbacks run on the client's receive loop; the policy is guarded by a lock so readers (explain, status) may call
/// from other threads.
/// </summary>
internal sealed partial class NicControlLoop : IMailboxHandler
{
    private readonly VsControllerPolicy _policy;
    private readonly ControlLoopOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly HashSet<AppId> _connected = [];
    private readonly List<RateEntry> _lastSent = [];
    private FlowMetadataBatch? _lastFlows;
    private ControlOutput? _lastOutput;
    private long _evaluations;
    private long _updatesSent;
    private long _acks;
    private ulong _lastAckedEpoch;
    private ulong _lastSentEpoch;

    public NicControlLoop(string endpoint, ControlLoopOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Endpoint = endpoint;
        _options = options;
        _logger = logger;
        _enforce = options.Enforce;
        _requireFlowMetadata = options.RequireFlowMetadata;
        _policy = new VsControllerPolicy(
            new ControllerOptions { InitialCapacity = options.InitialCapacity, DecisionsPerApp = options.DecisionsPerApp },
            time);
    }

    public string Endpoint { get; }

    public long Evaluations => Interlocked.Read(ref _evaluations);

    public long UpdatesSent => Interlocked.Read(ref _updatesSent);

    public long Acks => Interlocked.Read(ref _acks);

    public ulong LastAckedEpoch => Volatile.Read(ref _lastAckedEpoch);

    public ulong LastSentEpoch => Volatile.Read(ref _lastSentEpoch);

    /// <summary>The policy's last output (rates, allocations, capacity estimate), or null before the first period.</summary>
    public ControlOutput? LastOutput
    {
        get
        {
            lock (_lock)
            {
                return _lastOutput;
            }
        }
    }

    public IReadOnlyList<Decision> Explain(AppId application, int count)
    {
        lock (_lock)
        {
            return _policy.Explain(application, count);
        }
    }

    public IReadOnlyList<string> ExplainText(AppId application, int count)
    {
        lock (_lock)
        {
            return _policy.ExplainText(application, count);
        }
    }

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Type)
        {
            case MessageType.FlowMetadataBatch when MessageCodec.Decode(header.Type, payload) is FlowMetadataBatch flows:
                OnFlowMetadata(flows);
                break;
            case MessageType.QueueOccupancy when MessageCodec.Decode(header.Type, payload) is QueueOccupancy occupancy:
                if (Evaluate(occupancy) is { } update)
                {
                    _ = SendAsync(session, update);
                }

                break;
            // Epoch 0 acknowledges a SubsystemSet/SubsystemRemove (the desired-state applier counts those), not a RateUpdate.
            case MessageType.Ack when MessageCodec.Decode(header.Type, payload) is Ack { Epoch: > 0 } ack:
                Interlocked.Increment(ref _acks);
                Volatile.Write(ref _lastAckedEpoch, ack.Epoch);
                break;
        }
    }

    /// <summary>Keeps the NIC's latest flow metadata for the next evaluation.</summary>
    public void OnFlowMetadata(FlowMetadataBatch flows)
    {
        lock (_lock)
        {
            _lastFlows = flows;
        }
    }

    /// <summary>Runs the policy on one occupancy report; returns the RateUpdate to send, or null when nothing
    /// changed (a periodic report with the same rates), enforcement is off, or no flow metadata has arrived yet
    /// (<see cref="ControlLoopOptions.RequireFlowMetadata"/>).</summary>
    public RateUpdate? Evaluate(QueueOccupancy occupancy)
    {
        ArgumentNullException.ThrowIfNull(occupancy);
        lock (_lock)
        {
            foreach (var e in occupancy.Entries)
            {
                if (_connected.Add(e.Application))
                {
                    _policy.Connect(e.Application);
                }
            }

            var output = _policy.Evaluate(TelemetrySnapshot.FromMessages(_lastFlows, occupancy));
            _lastOutput = output;
            Interlocked.Increment(ref _evaluations);
            if (!_enforce || (_requireFlowMetadata && _lastFlows is null))
            {
                return null;
            }

            var update = output.ToRateUpdate();
            ApplyPins(update);
            if (occupancy.Trigger != OccupancyTrigger.Threshold && SameAsLastSent(update))
            {
                return null;
            }

            _lastSent.Clear();
            _lastSent.AddRange(update.Entries);
            Volatile.Write(ref _lastSentEpoch, update.Epoch);
            return update;
        }
    }

    /// <summary>The NIC session ended: a reconnect starts with a full update, so the NIC reconciles.</summary>
    public void OnClosed(MailboxSession session, string reason)
    {
        lock (_lock)
        {
            _lastSent.Clear();
        }
    }

    private bool SameAsLastSent(RateUpdate update)
    {
        if (update.Entries.Count != _lastSent.Count || _lastSent.Count == 0)
        {
            return false;
        }

        for (int i = 0; i < _lastSent.Count; i++)
        {
            var a = _lastSent[i];
            var b = update.Entries[i];
            if (a.Application != b.Application || a.IopsLimit != b.IopsLimit || a.BytesPerSecondLimit != b.BytesPerSecondLimit || a.Congested != b.Congested)
            {
                return false;
            }
        }

        return true;
    }

    private async Task SendAsync(MailboxSession session, RateUpdate update)
    {
        try
        {
            await session.SendAsync(update).ConfigureAwait(false);
            Interlocked.Increment(ref _updatesSent);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            LogSendFailed(Endpoint, update.Epoch, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RateUpdate epoch {Epoch} to {Endpoint} was not sent: {Reason}; the NIC keeps its last rates")]
    private partial void LogSendFailed(string endpoint, ulong epoch, string reason);
}
