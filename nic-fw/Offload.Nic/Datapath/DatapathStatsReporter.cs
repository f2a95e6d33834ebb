using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Nic.Datapath.Port;
using Report = Offload.Contracts.Messages.DatapathStats;

namespace Offload.Nic.Datapath;

/// <summary>
/// Sends the datapath's counters to the host as <see cref="Report"/> (message 51) every
/// <c>Datapath:StatsPeriodMilliseconds</c> (default 1 s), to every established session. Off when no port is configured.
/// Reads the poll thread's counters from its own thread (values may be a poll iteration stale).
/// </summary>
internal sealed class DatapathStatsReporter(NicDatapath datapath, IOptions<NicDatapathOptions> options, MailboxDevice device, TimeProvider time) : BackgroundService
{
    /// <summary>Reports sent.</summary>
    public long Sent { get; private set; }

    /// <summary>Builds a report from the datapath's current counters.</summary>
    internal static Report Build(NicDatapath datapath, uint periodMilliseconds, DateTimeOffset now)
    {
        var sw = datapath.Switch;
        var stats = sw.Stats;
        var report = new Report
        {
            TimestampUnixNanos = (now - DateTimeOffset.UnixEpoch).Ticks * 100,
            PeriodMilliseconds = periodMilliseconds,
            UpcallsSent = (ulong)stats.UpcallsSent,
            UpcallsDropped = (ulong)stats.UpcallsDropped,
            PacketsHeld = (ulong)stats.PacketsHeld,
            UpcallsTimedOut = (ulong)stats.Drops[DropReason.UpcallTimeout],
            ControllerPackets = (ulong)stats.PacketsToController,
            FlowCount = (ulong)Math.Max(0, sw.FlowCount),
            ExactMatchHits = (ulong)stats.ExactMatchHits,
            MegaflowHits = (ulong)stats.ClassifierHits,
            Misses = (ulong)stats.FlowMisses,
            FlowsEvicted = (ulong)stats.Evicted,
            FlowsExpired = (ulong)stats.Expired,
            CongestionMarked = (ulong)stats.Marked,
            RateAdvertised = (ulong)stats.RateOptionsInserted,
            RateNotAdvertised = (ulong)stats.RateOptionsSkipped,
        };
        for (var i = 0; i < sw.PortCount; i++)
        {
            PortCounters port = sw.GetPortCounters(i);
            report.Ports.Add(new DatapathPortEntry
            {
                Port = port.Port.Value,
                Name = port.Name,
                RxPackets = (ulong)port.RxPackets,
                RxBytes = (ulong)port.RxBytes,
                TxPackets = (ulong)port.TxPackets,
                TxBytes = (ulong)port.TxBytes,
                TxDropped = (ulong)port.TxDropped,
                Mtu = (uint)port.Mtu,
            });
        }

        for (var code = 1; code < DropReasons.Count; code++)
        {
            var count = stats.Drops[(DropReason)code];
            if (count > 0)
            {
                report.Drops.Add(new DropCountEntry((byte)code, (ulong)count));
            }
        }

        return report;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.Ports.Count == 0)
        {
            return;
        }

        var period = TimeSpan.FromMilliseconds(o.StatsPeriodMilliseconds);
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await device.BroadcastAsync(Build(datapath, (uint)o.StatsPeriodMilliseconds, time.GetUtcNow()), stoppingToken).ConfigureAwait(false);
                Sent++;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }
}
