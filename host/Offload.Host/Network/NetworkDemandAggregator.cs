using Offload.Contracts.Management;
using Offload.Contracts.Messages;

namespace Offload.Host.Network;

/// <summary>
/// A minimal network controller (patent claims 5 and 14): keeps the latest <see cref="NetworkSummary"/> of every NIC
/// (node) and sums demand per tenant (host NQN) across nodes. A node leaves the aggregate when its session closes or its
/// summary goes stale. Thread-safe: mailbox receive loops write, the management API reads.
/// </summary>
internal sealed class NetworkDemandAggregator(TimeProvider time, TimeSpan staleAfter)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (NetworkSummary Summary, DateTimeOffset ReceivedAt)> _nodes = new(StringComparer.Ordinal);
    private long _received;

    /// <summary>Summaries received.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Keeps <paramref name="summary"/> as the latest from the NIC at <paramref name="endpoint"/> (the instance is owned from now on).</summary>
    public void OnSummary(string endpoint, NetworkSummary summary)
    {
        lock (_lock)
        {
            _nodes[endpoint] = (summary, time.GetUtcNow());
        }

        Interlocked.Increment(ref _received);
    }

    /// <summary>The NIC's session closed: its demand leaves the aggregate.</summary>
    public void Forget(string endpoint)
    {
        lock (_lock)
        {
            _nodes.Remove(endpoint);
        }
    }

    /// <summary>The aggregate now: per node, and per tenant summed across nodes (tenants without a name are per node).</summary>
    public NetworkDemandDocument Snapshot()
    {
        var now = time.GetUtcNow();
        var nodes = new List<NetworkNodeDemand>();
        var tenants = new SortedDictionary<string, TenantAccumulator>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var (endpoint, (summary, at)) in _nodes)
            {
                if (now - at > staleAfter)
                {
                    continue;
                }

                double read = 0, write = 0;
                foreach (var d in summary.Demand)
                {
                    read += d.ReadRate;
                    write += d.WriteRate;
                    string key = d.HostNqn.Length > 0 ? d.HostNqn : $"app-{d.Application.Value}@{summary.Node}";
                    if (!tenants.TryGetValue(key, out var t))
                    {
                        tenants[key] = t = new TenantAccumulator();
                    }

                    t.Add(summary.Node, d);
                }

                nodes.Add(new NetworkNodeDemand(summary.Node, endpoint, at, summary.Demand.Count, read, write, summary.Totals.SqDepth, summary.Totals.SqCapacity));
            }
        }

        nodes.Sort(static (a, b) => string.CompareOrdinal(a.Node, b.Node));
        var rows = new List<NetworkTenantDemand>(tenants.Count);
        double totalRead = 0, totalWrite = 0;
        foreach (var (tenant, t) in tenants)
        {
            rows.Add(t.ToRow(tenant));
            totalRead += t.ReadRate;
            totalWrite += t.WriteRate;
        }

        return new NetworkDemandDocument(NetworkRoutes.DemandSchema, now, nodes, rows, totalRead, totalWrite);
    }

    private sealed class TenantAccumulator
    {
        private readonly List<string> _nodes = [];

        public double ReadRate { get; private set; }

        public double WriteRate { get; private set; }

        private double _bitRate;
        private ulong _memory;
        private OccupancyLevel _maxSq;

        public void Add(string node, in DemandEntry d)
        {
            ReadRate += d.ReadRate;
            WriteRate += d.WriteRate;
            _bitRate += d.BitRate;
            _memory += d.SharedMemorySize;
            _maxSq = d.SqLevel > _maxSq ? d.SqLevel : _maxSq;
            if (!_nodes.Contains(node))
            {
                _nodes.Add(node);
            }
        }

        public NetworkTenantDemand ToRow(string tenant)
        {
            _nodes.Sort(StringComparer.Ordinal);
            return new NetworkTenantDemand(tenant, [.. _nodes], ReadRate, WriteRate, _bitRate, _memory, _maxSq.ToString());
        }
    }
}
