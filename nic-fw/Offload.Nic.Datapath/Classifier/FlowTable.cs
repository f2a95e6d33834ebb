using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Classifier;

/// <summary>
/// The megaflow table: classifier + dense list of flows (for sweeps) + id index + flow limit with
/// eviction by idle age + idle/hard timeouts. Poll-thread only.
/// </summary>
internal sealed class FlowTable
{
    private readonly MegaflowClassifier _classifier = new();
    private readonly Dictionary<FlowId, Megaflow> _byId = [];
    private readonly IFlowRemovalObserver _observer;
    private Megaflow[] _flows = new Megaflow[1024];
    private int _sweepCursor = -1;
    private long _noEvictionBefore = long.MinValue;

    public FlowTable(int flowLimit, long evictionMinIdleTicks, IFlowRemovalObserver observer)
    {
        FlowLimit = flowLimit;
        EvictionMinIdleTicks = evictionMinIdleTicks;
        _observer = observer;
    }

    public int FlowLimit { get; set; }

    public long EvictionMinIdleTicks { get; set; }

    public int Count { get; private set; }

    public int SubtableCount => _classifier.SubtableCount;

    public MegaflowClassifier Classifier => _classifier;

    public Megaflow? Lookup(in FlowKey key) => _classifier.Lookup(key);

    public Megaflow? Get(FlowId id) => _byId.GetValueOrDefault(id);

    /// <summary>Every installed flow (poll thread only; for flow dumps).</summary>
    public Dictionary<FlowId, Megaflow>.ValueCollection Flows => _byId.Values;

    public FlowInstallResult Install(FlowId id, in FlowKey match, in FlowKey mask, int priority, FlowAction[] actions,
        long idleTicks, long hardTicks, long now, out Megaflow? flow)
    {
        flow = _classifier.Find(match, mask);
        if (flow is not null)
        {
            _byId.Remove(flow.Id);
            flow.Id = id;
            _byId[id] = flow;
            flow.Replace(priority, actions, idleTicks, hardTicks, now);
            _classifier.OnPriorityChanged(flow);
            return FlowInstallResult.Replaced;
        }

        if (Count >= FlowLimit && !EvictIdle(now))
        {
            return FlowInstallResult.RejectedFlowLimit;
        }

        flow = new Megaflow(id, match, mask, priority, actions, idleTicks, hardTicks, now);
        _classifier.Insert(flow);
        if (Count == _flows.Length)
        {
            Array.Resize(ref _flows, _flows.Length * 2);
        }

        flow.TableIndex = Count;
        _flows[Count++] = flow;
        _byId[id] = flow;
        return FlowInstallResult.Installed;
    }

    public bool Remove(Megaflow flow, FlowRemovedReason reason)
    {
        if (!flow.IsAlive)
        {
            return false;
        }

        flow.IsAlive = false;
        _classifier.Remove(flow);
        _byId.Remove(flow.Id);
        var index = flow.TableIndex;
        var last = _flows[--Count];
        _flows[index] = last;
        last.TableIndex = index;
        _flows[Count] = null!;
        flow.TableIndex = -1;
        _observer.OnRemoved(flow, reason);
        return true;
    }

    /// <summary>Checks up to <paramref name="budget"/> flows for idle/hard timeout; returns how many expired.</summary>
    public int Sweep(long now, int budget)
    {
        var expired = 0;
        for (var n = 0; n < budget && Count > 0; n++)
        {
            if (_sweepCursor < 0 || _sweepCursor >= Count)
            {
                _sweepCursor = Count - 1;
            }

            var flow = _flows[_sweepCursor--];
            if (flow.HardTimeoutTicks > 0 && now - flow.CreatedTimestamp >= flow.HardTimeoutTicks)
            {
                Remove(flow, FlowRemovedReason.HardTimeout);
                expired++;
            }
            else if (flow.IdleTimeoutTicks > 0 && now - flow.LastUsed >= flow.IdleTimeoutTicks)
            {
                Remove(flow, FlowRemovedReason.IdleTimeout);
                expired++;
            }
        }

        return expired;
    }

    /// <summary>
    /// Makes room under the flow limit: evicts up to 1/64 of the limit, taking only flows idle at least
    /// <see cref="EvictionMinIdleTicks"/> and at least half as long as the longest-idle flow (so the
    /// oldest go first and busy flows keep forwarding). The O(n) scan runs at most once per batch of evictions,
    /// and after a fruitless scan not again until some flow could have become idle enough, so a flood of
    /// refused installs does not cost a table scan each.
    /// </summary>
    private bool EvictIdle(long now)
    {
        if (now < _noEvictionBefore)
        {
            return false; // a scan found nothing idle enough, and nothing can become so before this time
        }

        long oldest = 0;
        for (var i = 0; i < Count; i++)
        {
            oldest = Math.Max(oldest, now - _flows[i].LastUsed);
        }

        var cutoff = Math.Max(EvictionMinIdleTicks, oldest / 2);
        if (oldest < EvictionMinIdleTicks)
        {
            _noEvictionBefore = now + (EvictionMinIdleTicks - oldest);
            return false;
        }

        var batch = Math.Max(1, FlowLimit / 64);
        var evicted = 0;
        for (var i = Count - 1; i >= 0 && evicted < batch; i--)
        {
            if (i < Count && now - _flows[i].LastUsed >= cutoff)
            {
                Remove(_flows[i], FlowRemovedReason.Evicted);
                evicted++;
            }
        }

        return Count < FlowLimit;
    }

    public void Rank() => _classifier.Rank();
}
