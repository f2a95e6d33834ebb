using System.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Management;
using Offload.Contracts.Messages;
using Offload.Controller.Sla;
using Offload.Host.Loop;
using Offload.Host.Switching;

namespace Offload.Host.State;

/// <summary>
/// Applies the desired state to one NIC, in dependency order: (1) subsystems with their namespaces and allow-lists
/// (one <see cref="SubsystemSet"/> each, which the NIC applies subsystem, namespaces, allow-list; removed ones get a
/// <see cref="SubsystemRemove"/>), (2) tenant SLAs into the control loop, (3) pinned rates, (4) static flow rules
/// (configuration rules first, then the state's; the learning switch revalidates), (5) policy parameters. Runs at
/// startup (steps 2-5), whenever the NIC's session is established (a reconnect or a restarted nic-fw), and whenever
/// the state changes. Applications are serialised; each step is logged with its number (event 3410), so the order can
/// be checked from offloadd's log.
/// </summary>
internal sealed partial class NicStateApplier : IMailboxHandler, IDisposable
{
    private readonly string _endpoint;
    private readonly DesiredStateStore _store;
    private readonly NicControlLoop? _loop;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _serial = new(1, 1);
    private readonly HashSet<string> _appliedNqns = new(StringComparer.Ordinal);
    private IReadOnlyList<FlowInstall> _configFlows = [];
    private MailboxSession? _session;
    private long _applications;
    private long _subsystemAcks;
    private long _lastAppliedRevision = -1;

    public NicStateApplier(string endpoint, DesiredStateStore store, NicControlLoop? loop, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        _endpoint = endpoint;
        _store = store;
        _loop = loop;
        _logger = logger;
        _store.Changed += OnStateChanged;
    }

    /// <summary>The NIC's learning switch (set once by the composition, before the first session).</summary>
    public LearningSwitchHandler? Switch { get; set; }

    /// <summary>Completed applications (startup, reconnects, changes).</summary>
    public long Applications => Interlocked.Read(ref _applications);

    /// <summary>Acks of SubsystemSet/SubsystemRemove received from the NIC.</summary>
    public long SubsystemAcks => Interlocked.Read(ref _subsystemAcks);

    /// <summary>Revision of the last completed application (-1 before the first).</summary>
    public long LastAppliedRevision => Interlocked.Read(ref _lastAppliedRevision);

    /// <summary>Static rules from configuration (<c>Switching:Rules</c>); they stay below the state's in list order.</summary>
    public void SetConfigFlows(IReadOnlyList<FlowInstall> flows, string reason = "configuration rules changed")
    {
        Volatile.Write(ref _configFlows, flows);
        _ = ApplyAsync(null, _store.Snapshot(), reason);
    }

    public void OnEstablished(MailboxSession session)
    {
        Volatile.Write(ref _session, session);
        _ = ApplyAsync(session, _store.Snapshot(), "NIC connected");
    }

    public void OnClosed(MailboxSession session, string reason)
    {
        Interlocked.CompareExchange(ref _session, null, session);
    }

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        // RateUpdate Acks carry the update's epoch (>= 1); subsystem Acks carry 0.
        if (header.Type == MessageType.Ack && MessageCodec.Decode(header.Type, payload) is Ack { Epoch: 0 })
        {
            Interlocked.Increment(ref _subsystemAcks);
        }
    }

    public void Dispose()
    {
        _store.Changed -= OnStateChanged;
        _serial.Dispose();
    }

    private void OnStateChanged(DesiredState state) =>
        _ = ApplyAsync(Volatile.Read(ref _session), state, "desired state changed");

    private async Task ApplyAsync(MailboxSession? session, DesiredState state, string reason)
    {
        await _serial.WaitAsync().ConfigureAwait(false);
        try
        {
            LogApplying(_logger, state.Revision, _endpoint, reason);
            if (session is not null)
            {
                await ApplySubsystemsAsync(session, state).ConfigureAwait(false);
            }
            else
            {
                LogStep(_logger, state.Revision, _endpoint, 1, "subsystems, namespaces, allow-lists", "skipped: NIC not connected");
            }

            var slas = new AppSla[state.Tenants.Count];
            for (var i = 0; i < slas.Length; i++)
            {
                var t = state.Tenants[i];
                slas[i] = new AppSla(new AppId(t.Application), t.Weight, t.Reservation, t.Limit ?? double.PositiveInfinity,
                    t.Class == TenantClasses.LatencySensitive ? AppClass.LatencySensitive : AppClass.Throughput);
            }

            _loop?.SetSlas(slas);
            LogStep(_logger, state.Revision, _endpoint, 2, "tenants", $"{slas.Length} SLAs");

            var pins = new List<RateEntry>(state.PinnedRates.Count);
            foreach (var p in state.PinnedRates)
            {
                if (state.Tenants.Find(t => t.Name == p.Tenant) is { } tenant)
                {
                    pins.Add(new RateEntry
                    {
                        Application = new AppId(tenant.Application),
                        IopsLimit = (ulong)p.Iops,
                        BytesPerSecondLimit = (ulong)p.BytesPerSecond,
                        AdvertisedRate = (ulong)p.Iops,
                    });
                }
            }

            _loop?.SetPins(pins);
            LogStep(_logger, state.Revision, _endpoint, 3, "pinned rates", $"{pins.Count} pinned");

            var flows = CompileFlows(state);
            Switch?.UpdateRules(flows);
            LogStep(_logger, state.Revision, _endpoint, 4, "flow rules", $"{flows.Count} static flows (configuration and state)");

            _loop?.SetPolicy(state.Policy.Enforce, state.Policy.RequireFlowMetadata);
            LogStep(_logger, state.Revision, _endpoint, 5, "policy", $"enforce {state.Policy.Enforce}, requireFlowMetadata {state.Policy.RequireFlowMetadata}");

            Interlocked.Exchange(ref _lastAppliedRevision, state.Revision);
            Interlocked.Increment(ref _applications);
            LogApplied(_logger, state.Revision, _endpoint);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            LogInterrupted(_logger, state.Revision, _endpoint, ex.Message);
        }
        finally
        {
            _serial.Release();
        }
    }

    private async Task ApplySubsystemsAsync(MailboxSession session, DesiredState state)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in state.Subsystems)
        {
            wanted.Add(s.Nqn);
        }

        var removed = 0;
        foreach (var nqn in _appliedNqns)
        {
            if (!wanted.Contains(nqn))
            {
                await session.SendAsync(new SubsystemRemove { Nqn = nqn, Revision = (ulong)state.Revision }).ConfigureAwait(false);
                removed++;
            }
        }

        foreach (var s in state.Subsystems)
        {
            var message = new SubsystemSet { Nqn = s.Nqn, AllowAnyHost = s.AllowAnyHost, Hosts = s.Hosts, Revision = (ulong)state.Revision };
            foreach (var ns in s.Namespaces)
            {
                message.Namespaces.Add(new SubsystemNamespace { Nsid = ns.Nsid, Size = (ulong)ns.Size, BlockSize = (uint)ns.BlockSize, Path = ns.Path ?? "" });
            }

            await session.SendAsync(message).ConfigureAwait(false);
        }

        _appliedNqns.Clear();
        _appliedNqns.UnionWith(wanted);
        LogStep(_logger, state.Revision, _endpoint, 1, "subsystems, namespaces, allow-lists", $"{state.Subsystems.Count} set, {removed} removed");
    }

    private List<FlowInstall> CompileFlows(DesiredState state)
    {
        var flows = new List<FlowInstall>(Volatile.Read(ref _configFlows));
        foreach (var rule in state.FlowRules)
        {
            if (StaticRuleCompiler.TryCompile(DesiredStateValidator.ToStaticRule(rule), out var install, out _))
            {
                flows.Add(install);
            }
        }

        return flows;
    }

    [LoggerMessage(EventId = 3409, Level = LogLevel.Information, Message = "Applying desired state revision {Revision} to {Endpoint} ({Reason})")]
    private static partial void LogApplying(ILogger logger, long revision, string endpoint, string reason);

    [LoggerMessage(EventId = 3410, Level = LogLevel.Information, Message = "Desired state revision {Revision} to {Endpoint}: step {Step} {Name}: {Detail}")]
    private static partial void LogStep(ILogger logger, long revision, string endpoint, int step, string name, string detail);

    [LoggerMessage(EventId = 3411, Level = LogLevel.Information, Message = "Desired state revision {Revision} applied to {Endpoint}")]
    private static partial void LogApplied(ILogger logger, long revision, string endpoint);

    [LoggerMessage(EventId = 3412, Level = LogLevel.Warning, Message = "Applying desired state revision {Revision} to {Endpoint} was interrupted: {Reason}; it is re-applied when the NIC reconnects")]
    private static partial void LogInterrupted(ILogger logger, long revision, string endpoint, string reason);
}
