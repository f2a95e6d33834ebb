namespace Offload.Nic.Nvme.Scheduler;

/// <summary>Seam the telemetry reporter reads per-connection (per-flow, 5-tuple) counters from.</summary>
public interface IConnectionCounterSource
{
    /// <summary>Appends every live I/O connection that belongs to a controller (admin queues are not flows).</summary>
    void CollectConnectionCounters(ICollection<ConnectionCountersSnapshot> destination);

    /// <summary>
    /// Hands every live I/O connection's snapshot to <paramref name="visitor"/>, one at a time and by reference, without
    /// a list: at 10,000 connections, writing, reading and clearing a list of 160-byte snapshots (with references in
    /// them) every report period cost a fifth of the period's telemetry. A source may call the visitor under its own
    /// lock, so the visitor must not call back into the source. The default collects into a new list (for sources
    /// that are not on a hot path).
    /// </summary>
    void VisitConnections<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IConnectionVisitor
    {
        var all = new List<ConnectionCountersSnapshot>();
        CollectConnectionCounters(all);
        foreach (var connection in all)
        {
            visitor.Visit(in connection);
        }
    }
}

/// <summary>Receives connections from <see cref="IConnectionCounterSource.VisitConnections{TVisitor}"/>.</summary>
public interface IConnectionVisitor
{
    void Visit(in ConnectionCountersSnapshot connection);
}

/// <summary>A visitor that appends every connection to a collection (a source's list method over its visit).</summary>
public readonly struct ConnectionCollector(ICollection<ConnectionCountersSnapshot> destination) : IConnectionVisitor
{
    private readonly ICollection<ConnectionCountersSnapshot> _destination = destination ?? throw new ArgumentNullException(nameof(destination));

    public void Visit(in ConnectionCountersSnapshot connection) => _destination.Add(connection);
}
