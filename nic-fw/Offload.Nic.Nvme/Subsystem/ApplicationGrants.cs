using System.Collections.Concurrent;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Nvme.Subsystem;

/// <summary>
/// Per-application resource grants set by the host controller (FIG. 3 allocations): the I/O queue count granted at
/// the application's next Set Features Number of Queues (NVMe Base 2.0, 5.27.1.7; a controller that already
/// negotiated keeps its count until it reconnects, as the spec fixes the count for the association) and its dequeue
/// weight for weighted round robin. Thread-safe: the mailbox thread writes, admin queues and pollers read.
/// </summary>
public sealed class ApplicationGrants
{
    /// <summary>Largest dequeue weight (the scheduler's WRR range is 1..255).</summary>
    public const int MaxDequeueWeight = 255;

    private readonly ConcurrentDictionary<AppId, Grant> _grants = new();

    /// <summary>Applications with a grant.</summary>
    public int Count => _grants.Count;

    /// <summary>Sets an application's grant. <paramref name="ioQueueCount"/> 0 leaves the queue count unlimited
    /// (up to the target's MaxIoQueues); the weight is clamped to 1..<see cref="MaxDequeueWeight"/>.</summary>
    public void Set(AppId app, int ioQueueCount, int dequeueWeight) => Set(app, ioQueueCount, dequeueWeight, latencyPriority: false);

    /// <summary>Sets an application's grant, with its dequeue priority: latency-class SQs are dequeued first
    /// (AllocationUpdate PriorityHint 0).</summary>
    public void Set(AppId app, int ioQueueCount, int dequeueWeight, bool latencyPriority)
    {
        var grant = new Grant(Math.Max(0, ioQueueCount), Math.Clamp(dequeueWeight, 1, MaxDequeueWeight), latencyPriority);
        _grants[app] = grant;
        WeightChanged?.Invoke(app, grant.DequeueWeight);
        PriorityChanged?.Invoke(app, latencyPriority);
    }

    /// <summary>Raised (on the caller's thread) with the application's dequeue priority (true = latency class)
    /// whenever <see cref="Set(AppId, int, int, bool)"/> runs, and with false when its grant is cleared.</summary>
    public event Action<AppId, bool>? PriorityChanged;

    /// <summary>Whether the application's SQs are dequeued first (latency class).</summary>
    public bool HasLatencyPriority(AppId app) => _grants.TryGetValue(app, out var g) && g.LatencyPriority;

    /// <summary>Raised (on the caller's thread) with the clamped weight whenever <see cref="Set"/> runs; the target's
    /// core arbiter listens so a granted weight drives live weighted round robin.</summary>
    public event Action<AppId, int>? WeightChanged;

    /// <summary>Removes an application's grant (it returns to the configured defaults).</summary>
    public void Clear(AppId app)
    {
        if (_grants.TryRemove(app, out var old) && old.LatencyPriority)
        {
            PriorityChanged?.Invoke(app, false);
        }
    }

    /// <summary>The number of I/O queues the application may be granted: its grant, capped by
    /// <paramref name="configuredMax"/>; <paramref name="configuredMax"/> when it has none.</summary>
    public int IoQueueLimit(AppId app, int configuredMax) =>
        _grants.TryGetValue(app, out var g) && g.IoQueueCount > 0 ? Math.Min(g.IoQueueCount, configuredMax) : configuredMax;

    /// <summary>The application's granted dequeue weight.</summary>
    public bool TryGetDequeueWeight(AppId app, out int weight)
    {
        if (_grants.TryGetValue(app, out var g))
        {
            weight = g.DequeueWeight;
            return true;
        }

        weight = 0;
        return false;
    }

    /// <summary>The application's granted I/O queue count (0 = no grant).</summary>
    public int IoQueueCountOf(AppId app) => _grants.TryGetValue(app, out var g) ? g.IoQueueCount : 0;

    /// <summary>Copies every granted weight into a scheduler through its public <see cref="DequeueScheduler.SetWeight"/>
    /// (call from the scheduler's own poller thread).</summary>
    public void ApplyWeights(DequeueScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        foreach (var pair in _grants)
        {
            scheduler.SetWeight(pair.Key, pair.Value.DequeueWeight);
        }
    }

    private readonly record struct Grant(int IoQueueCount, int DequeueWeight, bool LatencyPriority);
}
