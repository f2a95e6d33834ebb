using System.Collections.Concurrent;
using Offload.Contracts.Management;
using Offload.Contracts.Messages;

namespace Offload.Host.Datapath;

/// <summary>
/// The latest <see cref="DatapathStats"/> report of each connected NIC, keyed by board id, and the
/// <see cref="DatapathDocument"/> the management API serves from it. Thread-safe: mailbox receive loops write, the
/// management API reads; each entry is replaced whole.
/// </summary>
public sealed class DatapathStatsStore
{
    private readonly ConcurrentDictionary<string, (DatapathStats Report, DateTimeOffset ReceivedAt)> _latest = new(StringComparer.Ordinal);

    /// <summary>NICs with a report.</summary>
    public int Count => _latest.Count;

    /// <summary>Keeps <paramref name="report"/> as the NIC's latest.</summary>
    public void Update(string boardId, DatapathStats report, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(boardId);
        ArgumentNullException.ThrowIfNull(report);
        _latest[boardId] = (report, receivedAt);
    }

    /// <summary>Forgets the NIC (its session closed).</summary>
    public bool Remove(string boardId) => _latest.TryRemove(boardId, out _);

    /// <summary>The document of every NIC's latest report, ordered by board id.</summary>
    public DatapathDocument Snapshot()
    {
        var entries = _latest.ToArray();
        Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var nics = new DatapathNicDocument[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            nics[i] = ToDocument(entries[i].Key, entries[i].Value.Report, entries[i].Value.ReceivedAt);
        }

        return new DatapathDocument(ManagementApi.DatapathSchema, nics);
    }

    internal static DatapathNicDocument ToDocument(string boardId, DatapathStats r, DateTimeOffset receivedAt)
    {
        var ports = new DatapathPortDocument[r.Ports.Count];
        for (var i = 0; i < ports.Length; i++)
        {
            var p = r.Ports[i];
            ports[i] = new DatapathPortDocument(p.Port, p.Name, p.RxPackets, p.RxBytes, p.TxPackets, p.TxBytes, p.TxDropped, p.Mtu);
        }

        var drops = new DatapathDropDocument[r.Drops.Count];
        var totals = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        for (var i = 0; i < drops.Length; i++)
        {
            var d = r.Drops[i];
            var name = DatapathDropCode.Name(d.Reason);
            drops[i] = new DatapathDropDocument(d.Reason, name, d.Count);
            totals[name] = (totals.TryGetValue(name, out var sum) ? sum : 0) + d.Count;
        }

        return new DatapathNicDocument(
            boardId,
            DateTimeOffset.UnixEpoch.AddTicks(r.TimestampUnixNanos / 100),
            receivedAt,
            r.PeriodMilliseconds,
            ports,
            drops,
            totals,
            new DatapathUpcallDocument(r.UpcallsSent, r.UpcallsDropped, r.PacketsHeld, r.UpcallsTimedOut, r.ControllerPackets),
            new DatapathFlowDocument(r.FlowCount, r.FlowsEvicted, r.FlowsExpired),
            new DatapathLookupDocument(r.ExactMatchHits, r.MegaflowHits, r.Misses),
            new DatapathSignalDocument(r.CongestionMarked, r.RateAdvertised, r.RateNotAdvertised));
    }
}
