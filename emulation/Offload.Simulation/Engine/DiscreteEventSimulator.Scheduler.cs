using Offload.Controller.Sla;
using Offload.Simulation.Model;

namespace Offload.Simulation.Engine;

/// <summary>
/// The NIC scheduler models. Offload: token bucket (share, set by the policy) + hard ceiling bucket (SLA
/// limit) per tenant, weighted fair dequeue by virtual time (served cost / dequeue weight, as WRR would give),
/// latency-sensitive tenants within their rate first and allowed <see cref="SimulationConfig.LatencyExtraSlots"/>
/// device slots past the channels; then a work-conserving pass that lends idle channels to any backlogged tenant
/// under its ceiling. This is a model written for the simulator, not the nic-fw DequeueScheduler (that lives on
/// the nvme branch).
/// </summary>
internal sealed partial class DiscreteEventSimulator
{
    private void TryDispatch()
    {
        switch (_config.Kind)
        {
            case SchedulerKind.NvmeRoundRobin: DispatchRoundRobin(); break;
            case SchedulerKind.StaticLimits: DispatchStatic(); break;
            case SchedulerKind.Offload: DispatchOffload(); break;
            default: break;
        }
    }

    private void DispatchRoundRobin()
    {
        while (DeviceOutstanding < _device.QueueDepth)
        {
            int n = _tenants.Length, pick = -1;
            for (int k = 0; k < n; k++)
            {
                int i = (_rrCursor + k) % n;
                if (_tenants[i].Sq.Count > 0)
                {
                    pick = i;
                    break;
                }
            }

            if (pick < 0)
            {
                return;
            }

            _rrCursor = (pick + 1) % n;
            Send(pick);
        }
    }

    private void DispatchStatic()
    {
        Refill();
        bool progress = true;
        while (progress)
        {
            progress = false;
            for (int i = 0; i < _tenants.Length; i++)
            {
                var t = _tenants[i];
                if (t.Sq.Count > 0 && t.Tokens >= 1)
                {
                    t.Tokens -= 1;
                    Send(i);
                    progress = true;
                }
            }
        }

        WakeWhenTokens(static t => t.Tokens, static t => t.Rate, 1);
    }

    private void DispatchOffload()
    {
        Refill();
        while (true)
        {
            int pick = PickEntitled();
            if (pick < 0 && DeviceOutstanding < _device.Channels)
            {
                pick = PickBorrower();
            }

            if (pick < 0)
            {
                break;
            }

            var t = _tenants[pick];
            double cost = t.Sq.Peek().ChargedCost;
            t.Tokens -= cost;
            t.CeilingTokens -= cost;
            _virtualTime = t.Served;
            t.Served += cost / Math.Max(t.DequeueWeight, 1e-9);
            Send(pick);
        }

        if (DeviceOutstanding < _device.Channels)
        {
            WakeWhenTokens(static t => t.CeilingTokens, static t => t.Ceiling, 1e-9);
        }
    }

    private int PickEntitled()
    {
        int outstanding = DeviceOutstanding, best = -1;
        bool bestLatency = false;
        for (int i = 0; i < _tenants.Length; i++)
        {
            var t = _tenants[i];
            if (t.Sq.Count == 0 || t.Tokens <= 0 || t.CeilingTokens <= 0)
            {
                continue;
            }

            bool latency = t.Spec.Class == AppClass.LatencySensitive;
            int slots = _device.Channels + (latency ? _config.LatencyExtraSlots : 0);
            if (outstanding >= slots)
            {
                continue;
            }

            if (best < 0 || (latency && !bestLatency) || (latency == bestLatency && t.Served < _tenants[best].Served))
            {
                best = i;
                bestLatency = latency;
            }
        }

        return best;
    }

    private int PickBorrower()
    {
        int best = -1;
        for (int i = 0; i < _tenants.Length; i++)
        {
            var t = _tenants[i];
            if (t.Sq.Count > 0 && t.CeilingTokens > 0 && (best < 0 || t.Served < _tenants[best].Served))
            {
                best = i;
            }
        }

        return best;
    }

    private void Send(int i)
    {
        var t = _tenants[i];
        t.TouchSq(Now);
        DeviceSubmit(t.Sq.Dequeue());
    }

    private void Refill()
    {
        long now = Now;
        foreach (var t in _tenants)
        {
            double dt = (now - t.RefillNanos) / 1e9;
            t.RefillNanos = now;
            if (dt <= 0)
            {
                continue;
            }

            t.Tokens = Math.Min(t.Burst, t.Tokens + (t.Rate * dt));
            if (double.IsFinite(t.Ceiling))
            {
                t.CeilingTokens = Math.Min(t.CeilingBurst, t.CeilingTokens + (t.Ceiling * dt));
            }
        }
    }

    private void WakeWhenTokens(Func<TenantRuntime, double> tokens, Func<TenantRuntime, double> rate, double need)
    {
        long soonest = long.MaxValue;
        foreach (var t in _tenants)
        {
            double r = rate(t);
            if (t.Sq.Count == 0 || r <= 0 || !double.IsFinite(r))
            {
                continue;
            }

            double missing = need - tokens(t);
            if (missing <= 0)
            {
                continue;
            }

            soonest = Math.Min(soonest, Now + 1 + (long)(missing / r * 1e9));
        }

        if (soonest < _wakeAt)
        {
            _wakeAt = soonest;
            Schedule(soonest, new SimEvent(EventKind.Wake, 0, 0, null));
        }
    }
}
