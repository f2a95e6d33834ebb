using System.Buffers;
using Microsoft.Extensions.Logging;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Nic.Mailbox;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Telemetry;

namespace Offload.Nic.Enforcement;

/// <summary>
/// Applies the host's <see cref="AllocationUpdate"/> (FIG. 3 resource allocations) as soon as it is received, well
/// within one control period, then answers <c>Ack { AckedSequence, Epoch }</c>:
/// <list type="bullet">
/// <item>I/O queue count and dequeue weight into the NVMe target's <see cref="ApplicationGrants"/> (the queue count is
/// granted at the application's next Set Features Number of Queues; weights 1..1024 scale to the WRR range 1..255);</item>
/// <item>meter rate (bits/s → bytes/s) with the transmit byte budget as its burst, on the datapath meter named after
/// the application (<see cref="DatapathSignals"/>), when nic-fw runs a datapath;</item>
/// <item>priority hints 0-1 (latency class; inflow bounded by its own rate) into the grant's dequeue priority: the
/// core's arbiter serves those SQs first.</item>
/// </list>
/// An update is full: applications it does not list lose their grant and meter. Fail-static like
/// <see cref="RateEnforcer"/>: nothing is undone when the session closes. Runs on the session receive loop.
/// </summary>
internal sealed class AllocationEnforcer(ApplicationGrants grants, AppDirectory apps, ILogger<AllocationEnforcer> logger,
    IApplicationSignals? signals = null) : INicMailboxSubscriber
{
    private readonly Lock _lock = new();
    private readonly HashSet<AppId> _granted = [];
    private readonly HashSet<AppId> _listed = [];
    private readonly HashSet<Offload.Contracts.Ids.AppId> _metered = [];
    private readonly HashSet<Offload.Contracts.Ids.AppId> _meteredListed = [];
    private readonly List<AppId> _scratch = [];
    private readonly List<Offload.Contracts.Ids.AppId> _meterScratch = [];
    private long _applied;
    private long _unknownApplications;
    private ulong _lastEpoch;

    /// <summary>Priority hints at or below this (0: latency class; 1: an application whose inflow its own rate bucket
    /// already bounds) have their SQs dequeued first.</summary>
    public const byte DequeuePriorityHint = 1;

    /// <summary>AllocationUpdates applied so far.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Entries naming an application id this NIC has not reported (skipped).</summary>
    public long UnknownApplications => Interlocked.Read(ref _unknownApplications);

    public ulong LastEpoch => Volatile.Read(ref _lastEpoch);

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type != MessageType.AllocationUpdate)
        {
            return;
        }

        if (MessageCodec.Decode(header.Type, payload, stats: session.Counters.Decode) is not AllocationUpdate update)
        {
            return;
        }

        Apply(update);
        _ = EnforcementAck.SendAsync(session, header.Sequence, update.Epoch, MessageType.AllocationUpdate, logger);
    }

    /// <summary>Applies one full allocation table.</summary>
    public void Apply(AllocationUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_lock)
        {
            _listed.Clear();
            _meteredListed.Clear();
            foreach (var entry in update.Entries)
            {
                if (signals is not null)
                {
                    long bytesPerSecond = (long)Math.Min(entry.MeterRateBitsPerSecond / 8, long.MaxValue);
                    signals.SetMeter(entry.Application, bytesPerSecond, entry.TransmitBudgetSize);
                    _meteredListed.Add(entry.Application);
                    _metered.Add(entry.Application);
                }

                if (!apps.TryGetApp(entry.Application, out var app))
                {
                    Interlocked.Increment(ref _unknownApplications);
                    continue;
                }

                grants.Set(app, entry.IoQueueCount, ScaleWeight(entry.DequeueWeight), entry.PriorityHint <= DequeuePriorityHint);
                _listed.Add(app);
                _granted.Add(app);
            }

            RemoveUnlisted();
            Volatile.Write(ref _lastEpoch, update.Epoch);
            Interlocked.Increment(ref _applied);
        }
    }

    /// <summary>Allocation weights are 1..1024 (share of 1024); the WRR range is 1..255.</summary>
    internal static int ScaleWeight(ushort weight) =>
        Math.Clamp((int)Math.Round(weight * (double)ApplicationGrants.MaxDequeueWeight / 1024), 1, ApplicationGrants.MaxDequeueWeight);

    private void RemoveUnlisted()
    {
        _scratch.Clear();
        foreach (var app in _granted)
        {
            if (!_listed.Contains(app))
            {
                _scratch.Add(app);
            }
        }

        foreach (var app in _scratch)
        {
            grants.Clear(app);
            _granted.Remove(app);
        }

        _meterScratch.Clear();
        foreach (var id in _metered)
        {
            if (!_meteredListed.Contains(id))
            {
                _meterScratch.Add(id);
            }
        }

        foreach (var id in _meterScratch)
        {
            signals?.SetMeter(id, 0, 0);
            _metered.Remove(id);
        }
    }
}
