using System.Buffers;
using Microsoft.Extensions.Logging;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Nic.Mailbox;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Telemetry;

namespace Offload.Nic.Enforcement;

/// <summary>
/// Applies the host's <see cref="RateUpdate"/> to the NVMe target's per-application token buckets (guaranteed rate,
/// ceiling and bucket depth, <see cref="AppRateLimits"/>) as soon as it is
/// received (well within one control period), then answers <c>Ack { AckedSequence, Epoch }</c>.
/// Fail-static: nothing is undone when the mailbox session closes; the last rates stay in force until the next
/// RateUpdate (a full update after reconnect reconciles: applications it does not list return to unlimited).
/// With a datapath (<see cref="IApplicationSignals"/>), a congested entry flags its application so CongestionMark
/// actions mark ECN CE on its ECT packets and RateAdvertise actions stamp its rate on packets toward it; an entry no
/// longer congested (or an application a full update leaves out) clears both.
/// Runs on the session receive loop; updates are serialised by a lock.
/// </summary>
internal sealed class RateEnforcer(IRateLimiter limiter, AppDirectory apps, ILogger<RateEnforcer> logger,
    IApplicationSignals? signals = null) : INicMailboxSubscriber
{
    private readonly HashSet<Offload.Contracts.Ids.AppId> _signalled = [];
    private readonly HashSet<Offload.Contracts.Ids.AppId> _signalListed = [];
    private readonly List<Offload.Contracts.Ids.AppId> _signalScratch = [];
    private readonly Lock _lock = new();
    private readonly List<AppId> _known = [];
    private readonly HashSet<AppId> _listed = [];
    private long _applied;
    private long _unknownApplications;
    private ulong _lastEpoch;

    /// <summary>RateUpdates applied so far.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Entries naming an application id this NIC has not reported (skipped).</summary>
    public long UnknownApplications => Interlocked.Read(ref _unknownApplications);

    public ulong LastEpoch => Volatile.Read(ref _lastEpoch);

    public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type != MessageType.RateUpdate)
        {
            return;
        }

        if (MessageCodec.Decode(header.Type, payload) is not RateUpdate update)
        {
            return;
        }

        Apply(update);
        _ = EnforcementAck.SendAsync(session, header.Sequence, update.Epoch, MessageType.RateUpdate, logger);
    }

    /// <summary>Applies one update to the token buckets.</summary>
    public void Apply(RateUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_lock)
        {
            _listed.Clear();
            _signalListed.Clear();
            foreach (var entry in update.Entries)
            {
                Signal(entry);
                if (!apps.TryGetApp(entry.Application, out var app))
                {
                    Interlocked.Increment(ref _unknownApplications);
                    continue;
                }

                _listed.Add(app);
                if (entry.IopsLimit == 0 && entry.BytesPerSecondLimit == 0 && entry.CeilingIops == 0)
                {
                    limiter.ClearApplicationRate(app);
                }
                else
                {
                    limiter.SetApplicationLimits(app, new AppRateLimits(ToLong(entry.IopsLimit), ToLong(entry.BytesPerSecondLimit),
                        ToLong(entry.CeilingIops), TimeSpan.FromMicroseconds(entry.BurstMicros)));
                }
            }

            if (update.IsFull)
            {
                _known.Clear();
                apps.CopyApps(_known);
                foreach (var app in _known)
                {
                    if (!_listed.Contains(app))
                    {
                        limiter.ClearApplicationRate(app);
                    }
                }

                ClearUnlistedSignals();
            }

            Volatile.Write(ref _lastEpoch, update.Epoch);
            Interlocked.Increment(ref _applied);
        }
    }

    private void Signal(in RateEntry entry)
    {
        if (signals is null)
        {
            return;
        }

        _signalListed.Add(entry.Application);
        if (entry.Congested)
        {
            signals.SetCongestion(entry.Application, true, (uint)Math.Min(entry.AdvertisedRate, uint.MaxValue));
            _signalled.Add(entry.Application);
        }
        else if (_signalled.Remove(entry.Application))
        {
            signals.SetCongestion(entry.Application, false, 0);
        }
    }

    private void ClearUnlistedSignals()
    {
        _signalScratch.Clear();
        foreach (var id in _signalled)
        {
            if (!_signalListed.Contains(id))
            {
                _signalScratch.Add(id);
            }
        }

        foreach (var id in _signalScratch)
        {
            signals?.SetCongestion(id, false, 0);
            _signalled.Remove(id);
        }
    }

    private static long ToLong(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
