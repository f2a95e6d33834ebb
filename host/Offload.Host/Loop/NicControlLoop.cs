using System.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Controller.Explain;
using Offload.Controller.Policy;
using Offload.Controller.Telemetry;
using Offload.Host.History;
using Offload.Host.Network;

namespace Offload.Host.Loop;

/// <summary>
/// offloadd's half of the closed loop for one NIC: every periodic <see cref="QueueOccupancy"/> the NIC sends, and every
/// threshold report that begins or ends congestion or shows an application appearing or going, is fed with the latest
/// <see cref="FlowMetadataBatch"/> to the VS controller policy (other threshold reports wait for the next period); a
/// changed result (or any threshold-triggered evaluation) goes back as a full <see cref="RateUpdate"/>, followed by a
/// full <see cref="AllocationUpdate"/> (I/O queue count, dequeue weight, meter rate, transmit budget, priority hint)
/// when the allocations changed. The NIC's Acks are recorded. Decisions stay in the policy's log for
/// <c>offloadctl explain</c>.
/// Callbacks run on the client's receive loop; the policy is guarded by a lock so readers (explain, status) may call
/// from other threads.
/// </summary>
internal sealed partial class NicControlLoop : IMailboxHandler
{
    private readonly VsControllerPolicy _policy;
    private readonly ControlLoopOptions _options;
    private readonly NetworkDemandAggregator? _network;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly HashSet<AppId> _connected = [];
    private readonly HashSet<AppId> _seen = [];
    private readonly HashSet<AppId> _awaitingName = [];
    private readonly List<AppId> _gone = [];
    private readonly Dictionary<AppId, string> _names = [];
    private readonly Dictionary<string, AppId> _byName = new(StringComparer.Ordinal);
    private readonly List<RateEntry> _lastSent = [];

    /// <summary>Whether <see cref="_lastSent"/> is what the NIC last got. False before the first update and after a
    /// reconnect or a change of pins (the next evaluation sends a full update); an empty update sent once is
    /// remembered like any other, so a NIC with no applications is not sent an empty update every period.</summary>
    private bool _lastSentValid;

    /// <summary>The same for <see cref="_lastAllocations"/>.</summary>
    private bool _lastAllocationsValid;
    private readonly List<AllocationEntry> _lastAllocations = [];
    private FlowMetadataBatch? _lastFlows;
    private ControlOutput? _lastOutput;
    private long _evaluations;
    private long _thresholdsFolded;
    private HashSet<(AppId, QueueId)> _high = [];
    private HashSet<(AppId, QueueId)> _evaluatedHigh = [];
    private bool _nodeHigh;
    private bool _evaluatedNodeHigh;
    private readonly double _nodeHighOccupancy;
    private long _updatesSent;
    private long _allocationsSent;
    private long _acks;
    private ulong _lastAckedEpoch;
    private ulong _lastSentEpoch;

    public NicControlLoop(string endpoint, ControlLoopOptions options, TimeProvider time, ILogger logger, TenantHistory? history = null,
        NetworkDemandAggregator? network = null)
    {
        _network = network;
        ArgumentNullException.ThrowIfNull(options);
        Endpoint = endpoint;
        _options = options;
        _logger = logger;
        _enforce = options.Enforce;
        _requireFlowMetadata = options.RequireFlowMetadata;
        var controller = new ControllerOptions
        {
            InitialCapacity = options.InitialCapacity,
            DecisionsPerApp = options.DecisionsPerApp,
            MaxIoQueues = (ushort)options.MaxIoQueues,
            PredictionEnabled = history is not null,
            BackloggedSqWindowAverage = options.BackloggedSqWindowAverage,
        };
        _nodeHighOccupancy = controller.NodeHighOccupancy;
        _policy = new VsControllerPolicy(
            controller,
            time,
            history is null ? null : new NicHistoryView(history, NameOfUnlocked));
    }

    public string Endpoint { get; }

    public long Evaluations => Interlocked.Read(ref _evaluations);

    /// <summary>Threshold reports not evaluated at once (no congestion began or ended, no application appeared or
    /// went): the next periodic report evaluates their levels (<see cref="ControlLoopOptions.EvaluateEveryThreshold"/>).</summary>
    public long ThresholdsFolded => Interlocked.Read(ref _thresholdsFolded);

    public long UpdatesSent => Interlocked.Read(ref _updatesSent);

    /// <summary>AllocationUpdates sent.</summary>
    public long AllocationsSent => Interlocked.Read(ref _allocationsSent);

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
                var update = Evaluate(occupancy, out var allocation);
                if (update is not null || allocation is not null)
                {
                    _ = SendAsync(session, update, allocation);
                }

                break;
            case MessageType.NetworkSummary when _network is not null && MessageCodec.Decode(header.Type, payload) is NetworkSummary summary:
                _network.OnSummary(Endpoint, summary);
                break;
            // Epoch 0 acknowledges a SubsystemSet/SubsystemRemove (the desired-state applier counts those), not a RateUpdate.
            case MessageType.Ack when MessageCodec.Decode(header.Type, payload) is Ack { Epoch: > 0 } ack:
                Interlocked.Increment(ref _acks);
                Volatile.Write(ref _lastAckedEpoch, ack.Epoch);
                break;
        }
    }

    /// <summary>Keeps the NIC's latest flow metadata for the next evaluation and learns the application names it
    /// carries; an application seen before its name is connected now, so its history can predict its load.</summary>
    public void OnFlowMetadata(FlowMetadataBatch flows)
    {
        ArgumentNullException.ThrowIfNull(flows);
        if (flows.Part > 0)
        {
            return; // continuation: connection records only; the period's application records came in part 0
        }

        lock (_lock)
        {
            _lastFlows = flows;
            foreach (var n in flows.Applications)
            {
                if (n.HostNqn.Length == 0 || (_names.TryGetValue(n.Application, out var known) && known == n.HostNqn))
                {
                    continue;
                }

                _names[n.Application] = n.HostNqn;
                _byName[n.HostNqn] = n.Application;
                if (_awaitingName.Remove(n.Application) && _connected.Add(n.Application))
                {
                    _policy.Connect(n.Application);
                }
            }
        }
    }

    /// <summary>The host NQN the NIC reported for an application, or null.</summary>
    public string? NameOf(AppId application)
    {
        lock (_lock)
        {
            return NameOfUnlocked(application);
        }
    }

    /// <summary>The NIC's application id for a tenant (host NQN).</summary>
    public bool TryGetApplication(string tenant, out AppId application)
    {
        lock (_lock)
        {
            return _byName.TryGetValue(tenant, out application);
        }
    }

    /// <summary>Writes every open rollup to the history (shutdown).</summary>
    public void FlushHistory()
    {
        lock (_lock)
        {
            _policy.FlushHistory();
        }
    }

    /// <summary>Runs the policy on one occupancy report; returns the RateUpdate to send, or null when nothing
    /// changed (a periodic report with the same rates), enforcement is off, or no flow metadata has arrived yet
    /// (<see cref="ControlLoopOptions.RequireFlowMetadata"/>).</summary>
    public RateUpdate? Evaluate(QueueOccupancy occupancy) => Evaluate(occupancy, out _);

    /// <summary>As <see cref="Evaluate(QueueOccupancy)"/>, and also returns the <see cref="AllocationUpdate"/> to send
    /// (FIG. 3 resource allocations) when the allocations changed since the last one sent (or on a threshold
    /// crossing, or after a reconnect), under the same enforcement conditions.</summary>
    public RateUpdate? Evaluate(QueueOccupancy occupancy, out AllocationUpdate? allocation)
    {
        ArgumentNullException.ThrowIfNull(occupancy);
        allocation = null;
        lock (_lock)
        {
            bool membership = TrackConnections(occupancy);
            bool threshold = occupancy.Trigger == OccupancyTrigger.Threshold;
            bool highChanged = CollectHigh(occupancy);
            if (threshold && !highChanged && !membership && !_options.EvaluateEveryThreshold && _lastOutput is not null)
            {
                // Nothing here needs an answer before the next periodic report, which carries the same levels.
                Interlocked.Increment(ref _thresholdsFolded);
                return null;
            }

            (_evaluatedHigh, _high) = (_high, _evaluatedHigh);
            _evaluatedNodeHigh = _nodeHigh;
            var output = _policy.Evaluate(TelemetrySnapshot.FromMessages(_lastFlows, occupancy));
            _lastOutput = output;
            Interlocked.Increment(ref _evaluations);
            if (!_enforce || (_requireFlowMetadata && _lastFlows is null))
            {
                return null;
            }

            if (threshold || !SameAllocationsAsLastSent(output.Allocations))
            {
                allocation = output.ToAllocationUpdate();
                _lastAllocations.Clear();
                _lastAllocations.AddRange(output.Allocations);
                _lastAllocationsValid = true;
            }

            var update = output.ToRateUpdate();
            ApplyPins(update);
            if (!threshold && SameAsLastSent(update))
            {
                return null;
            }

            _lastSent.Clear();
            _lastSent.AddRange(update.Entries);
            _lastSentValid = true;
            Volatile.Write(ref _lastSentEpoch, update.Epoch);
            return update;
        }
    }

    /// <summary>The NIC session ended: a reconnect starts with a full update, so the NIC reconciles.</summary>
    public void OnClosed(MailboxSession session, string reason)
    {
        _network?.Forget(Endpoint);
        lock (_lock)
        {
            ForgetLastSent();
            _lastAllocations.Clear();
            _lastAllocationsValid = false;
        }
    }

    // Caller holds _lock (the policy calls the history view from inside Evaluate/Connect).
    private string? NameOfUnlocked(AppId application) => _names.GetValueOrDefault(application);

    /// <summary>Collects the report's queues at High (SQ or CQ) and whether the node's SQs are at the policy's
    /// node-high share of their capacity; true when either differs from the last evaluated report: congestion that
    /// began or ended. A queue that stays at High is not news.</summary>
    private bool CollectHigh(QueueOccupancy occupancy)
    {
        _high.Clear();
        foreach (var e in occupancy.Entries)
        {
            if (e.SqLevel == OccupancyLevel.High || e.CqLevel == OccupancyLevel.High)
            {
                _high.Add((e.Application, e.Queue));
            }
        }

        var totals = occupancy.Totals;
        _nodeHigh = totals.SqCapacity > 0 && totals.SqDepth >= _nodeHighOccupancy * totals.SqCapacity;
        return _nodeHigh != _evaluatedNodeHigh || !_high.SetEquals(_evaluatedHigh);
    }

    /// <summary>An application that appears is connected (with prediction once its name is known: right away when
    /// the NIC named it already, else when the name arrives); one whose queues are all gone is disconnected, which
    /// stores its history.</summary>
    private bool TrackConnections(QueueOccupancy occupancy)
    {
        bool changed = false;
        _seen.Clear();
        foreach (var e in occupancy.Entries)
        {
            _seen.Add(e.Application);
            if (_connected.Contains(e.Application) || _awaitingName.Contains(e.Application))
            {
                continue;
            }

            changed = true;
            if (_names.ContainsKey(e.Application))
            {
                _connected.Add(e.Application);
                _policy.Connect(e.Application);
            }
            else
            {
                _awaitingName.Add(e.Application);
            }
        }

        _gone.Clear();
        foreach (var app in _awaitingName)
        {
            if (!_seen.Contains(app))
            {
                _gone.Add(app);
            }
        }

        foreach (var app in _gone)
        {
            _awaitingName.Remove(app);
        }

        _gone.Clear();
        foreach (var app in _connected)
        {
            if (!_seen.Contains(app))
            {
                _gone.Add(app);
            }
        }

        foreach (var app in _gone)
        {
            _connected.Remove(app);
            _policy.Disconnect(app);
        }

        return changed || _gone.Count > 0;
    }

    private bool SameAllocationsAsLastSent(List<AllocationEntry> allocations)
    {
        if (!_lastAllocationsValid || allocations.Count != _lastAllocations.Count)
        {
            return false;
        }

        for (int i = 0; i < allocations.Count; i++)
        {
            var a = _lastAllocations[i];
            var b = allocations[i];
            if (a.Application != b.Application || a.IoQueueCount != b.IoQueueCount || a.DequeueWeight != b.DequeueWeight
                || a.DequeueFrequencyHz != b.DequeueFrequencyHz || a.MeterRateBitsPerSecond != b.MeterRateBitsPerSecond
                || a.TransmitBudgetSize != b.TransmitBudgetSize || a.PriorityHint != b.PriorityHint)
            {
                return false;
            }
        }

        return true;
    }

    private bool SameAsLastSent(RateUpdate update)
    {
        if (!_lastSentValid || update.Entries.Count != _lastSent.Count)
        {
            return false;
        }

        for (int i = 0; i < _lastSent.Count; i++)
        {
            var a = _lastSent[i];
            var b = update.Entries[i];
            if (a.Application != b.Application || a.IopsLimit != b.IopsLimit || a.BytesPerSecondLimit != b.BytesPerSecondLimit || a.Congested != b.Congested
                || a.CeilingIops != b.CeilingIops || a.BurstMicros != b.BurstMicros)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The next evaluation sends a full update whatever the rates (caller holds <see cref="_lock"/>).</summary>
    private void ForgetLastSent()
    {
        _lastSent.Clear();
        _lastSentValid = false;
    }

    private async Task SendAsync(MailboxSession session, RateUpdate? update, AllocationUpdate? allocation)
    {
        try
        {
            // Rates first: they carry the congestion response; allocations follow in the same period.
            if (update is not null)
            {
                await session.SendAsync(update).ConfigureAwait(false);
                Interlocked.Increment(ref _updatesSent);
            }

            if (allocation is not null)
            {
                await session.SendAsync(allocation).ConfigureAwait(false);
                Interlocked.Increment(ref _allocationsSent);
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            LogSendFailed(Endpoint, update?.Epoch ?? allocation?.Epoch ?? 0, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate/allocation update epoch {Epoch} to {Endpoint} was not sent: {Reason}; the NIC keeps its last rates")]
    private partial void LogSendFailed(string endpoint, ulong epoch, string reason);
}
