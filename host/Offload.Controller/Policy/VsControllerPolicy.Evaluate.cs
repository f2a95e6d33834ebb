using Offload.Contracts.Messages;
using Offload.Controller.Allocation;
using Offload.Controller.Explain;
using Offload.Controller.Sla;
using Offload.Controller.Telemetry;

namespace Offload.Controller.Policy;

public sealed partial class VsControllerPolicy
{
    /// <summary>Runs one control period over <paramref name="snapshot"/> and returns the new rates and allocations.</summary>
    public ControlOutput Evaluate(TelemetrySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var now = _time.GetUtcNow();
        var cost = _options.Cost;
        double completed = 0;
        bool backlogged = false;
        bool memoryBound = false;
        double minDemand = _options.MinDemandFraction * _capacity.Estimate;

        // Threshold reports come many times a period and are evaluated with the period's flow metadata: only the first
        // evaluation of a period samples it (capacity, history). Each repeat used to be another capacity sample and
        // another upward probe, and the estimate -- every backlogged tenant's rate with it -- swung by 10-20% in real time.
        bool newPeriod = snapshot.FlowsTimestampUnixNanos == 0 || snapshot.FlowsTimestampUnixNanos != _lastFlowsTimestamp;
        _lastFlowsTimestamp = snapshot.FlowsTimestampUnixNanos;

        foreach (var state in _apps)
        {
            state.Measured = 0;
        }

        foreach (var s in snapshot.Applications)
        {
            var state = Admit(s.Application);
            double requests = s.ReadRate + s.WriteRate;
            double measured = cost.Rate(s.ReadRate, s.ReadSize, s.WriteRate, s.WriteSize);
            state.Measured = measured;
            completed += measured;
            if (requests > 0)
            {
                state.CostPerRequest = measured / requests;
                state.BytesPerRequest = ((s.ReadRate * s.ReadSize) + (s.WriteRate * s.WriteSize)) / requests;
                state.ReadFraction = s.ReadFraction;
            }

            state.SqLevel = s.SqLevel;
            state.CqLevel = s.CqLevel;
            bool sqHigh = s.SqLevel == OccupancyLevel.High || s.SqAverage >= _options.BackloggedSqAverage
                || s.SqWindowAverage >= _options.BackloggedSqWindowAverage;
            bool cqHigh = s.CqLevel == OccupancyLevel.High;
            state.Congested = false;
            if (sqHigh && cqHigh)
            {
                state.Demand = Math.Max(minDemand, measured * _options.ConsumingFactor);
                state.Rule = DecisionRule.ConsumingLower;
                state.Congested = true;
            }
            else if (sqHigh)
            {
                state.Demand = double.PositiveInfinity;
                state.Rule = DecisionRule.StarvedRaise;

                // Held back by its own SLA limit, not by the memory: not a capacity sample.
                if (measured < 0.95 * state.Sla.Limit)
                {
                    backlogged = true;

                    // state.Rate is the rate the NIC enforced during the measured period. Below it: the memory could
                    // not deliver it. Above it: the NIC lent idle capacity until the memory ran full. Either way the
                    // completions measure the memory; exactly at it, they only measure our own rate.
                    memoryBound |= state.HasRate && (measured < (1 - _options.MemoryBoundSlack) * state.Rate
                        || measured > (1 + _options.MemoryBoundSlack) * state.Rate);
                }
            }
            else
            {
                double headroom = state.Sla.Class == AppClass.LatencySensitive ? _options.LatencyHeadroom : _options.DemandHeadroom;
                state.Demand = Math.Max(minDemand, measured * headroom);
                state.Rule = DecisionRule.TrackDemand;
            }

            if (newPeriod)
            {
                Accumulate(state, now, measured);
            }
        }

        foreach (var state in _apps)
        {
            if (!snapshot.TryGet(state.Sla.Application, out _))
            {
                state.Demand = minDemand;
                state.Rule = DecisionRule.TrackDemand;
            }

            ApplyPrediction(state, now);
        }

        var totals = snapshot.Totals;
        bool nodeHigh = totals.SqCapacity > 0 && totals.SqDepth >= _options.NodeHighOccupancy * totals.SqCapacity;
        double before = _capacity.Estimate;
        if (newPeriod)
        {
            _capacity.Observe(completed, backlogged || nodeHigh, memoryBound || nodeHigh, snapshot.PeriodNanos / 1e9);
        }

        bool capacityFell = _capacity.Estimate < before * (1 - _options.Deadband);
        if (nodeHigh)
        {
            foreach (var state in _apps)
            {
                state.Congested |= state.Measured > 0 && state.SqLevel >= OccupancyLevel.Medium;
            }
        }

        return Reallocate(now, capacityFell ? DecisionRule.CongestionLower : (DecisionRule?)null);
    }

    private ControlOutput Reallocate(DateTimeOffset now, DecisionRule? cause)
    {
        int n = _apps.Count;
        if (_requests.Length < n)
        {
            _requests = new FairShareRequest[n * 2];
            _targets = new double[n * 2];
            _previous = new double[n * 2];
        }

        for (int i = 0; i < n; i++)
        {
            var a = _apps[i];
            _requests[i] = new FairShareRequest(a.Sla.Weight, a.Sla.Reservation, a.Demand, a.Sla.Limit);
        }

        double capacity = _capacity.Estimate;
        WaterFilling.Allocate(capacity, _requests.AsSpan(0, n), _targets.AsSpan(0, n));
        double damping = DampingSince(now);
        var output = new ControlOutput { Epoch = ++_epoch, CapacityEstimate = capacity };
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            var a = _apps[i];
            double target = _targets[i];
            double old = a.Rate;
            double next;
            if (!a.HasRate)
            {
                next = target;
            }
            else if (Math.Abs(target - old) <= _options.Deadband * Math.Max(old, 1e-9))
            {
                next = old;
            }
            else
            {
                next = old + (damping * (target - old));
            }

            _previous[i] = old;
            a.Rate = next;
            sum += next;
        }

        // Damping must not overcommit: if the damped rates exceed capacity, those above target snap down.
        if (sum > capacity * (1 + _options.Deadband))
        {
            for (int i = 0; i < n; i++)
            {
                if (_apps[i].Rate > _targets[i])
                {
                    _apps[i].Rate = _targets[i];
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            var a = _apps[i];
            double old = _previous[i];
            var rule = Classify(a, cause, old);
            bool changed = !a.HasRate || Math.Abs(a.Rate - old) > 1e-9;
            if (changed || rule != a.LastRecordedRule)
            {
                _log.Record(new Decision(now, a.Sla.Application, a.HasRate || rule == DecisionRule.Predicted ? rule : DecisionRule.Admitted, a.HasRate ? old : 0, a.Rate,
                    a.Measured, double.IsFinite(a.Demand) ? a.Demand : null, capacity, a.SqLevel, a.CqLevel, a.Sla.Weight));
                a.LastRecordedRule = rule;
            }

            a.HasRate = true;
            output.Rates.Add(new AppRate(a.Sla.Application, a.Rate, a.Sla.Limit, a.CostPerRequest, a.BytesPerRequest, rule, a.Congested)
            {
                Burst = a.Sla.Class == AppClass.LatencySensitive ? _options.LatencyBurst : TimeSpan.Zero,
            });
            output.Allocations.Add(Allocate(a, capacity));
        }

        return output;
    }

    /// <summary>
    /// The fraction of the way from old to target rates taken now: <see cref="ControllerOptions.Damping"/> per control
    /// period, scaled to the time since the previous reallocation (1 - (1 - damping)^(elapsed / period), at most one
    /// period's step). offloadd also evaluates between periods, on threshold reports that begin or end congestion
    /// (it used to on every one, ~20 a period in real time); a whole step on each took a tenant's rate all the way to a
    /// target computed from one 10 ms window, so a tenant with one command outstanding (a handful of completions per
    /// window) swung between 20% and 110% of its share.
    /// Evaluated once per period (the simulator), the step is the configured one.
    /// </summary>
    private double DampingSince(DateTimeOffset now)
    {
        double periods = _lastReallocation is { } last && _options.Period > TimeSpan.Zero
            ? Math.Clamp((now - last) / _options.Period, 0, 1)
            : 1;
        _lastReallocation = now;
        return periods >= 1 ? _options.Damping : 1 - Math.Pow(1 - _options.Damping, periods);
    }

    private static DecisionRule Classify(AppState a, DecisionRule? cause, double old)
    {
        if (a.Rate >= a.Sla.Limit * (1 - 1e-9))
        {
            return DecisionRule.AtLimit;
        }

        if (a.Sla.Reservation > 0 && a.Rate <= a.Sla.Reservation * (1 + 1e-9))
        {
            return DecisionRule.AtReservation;
        }

        // A node-wide cause explains this app's change only if it moved the way the cause says.
        if (cause == DecisionRule.CongestionLower && a.HasRate && a.Rate < old && a.Rule != DecisionRule.ConsumingLower)
        {
            return DecisionRule.CongestionLower;
        }

        if (cause == DecisionRule.Rebalanced && a.HasRate && a.Rule != DecisionRule.Predicted && Math.Abs(a.Rate - old) > 1e-9)
        {
            return DecisionRule.Rebalanced;
        }

        return a.Rule;
    }

    /// <summary>
    /// 0: latency class. 1: an application not asking for more than it gets (tracking its demand, or held at its
    /// ceiling): its inflow is already bounded by its own rate bucket, so nic-fw may dequeue it first without
    /// starving anyone, which keeps its queue (and its latency) short and stops a held-back queue from draining in
    /// a burst over its ceiling. 3: starved (backlogged, asking for more). 4: the rest.
    /// </summary>
    private static byte PriorityHintOf(AppState a, bool latency)
    {
        if (latency)
        {
            return 0;
        }

        bool atCeiling = double.IsFinite(a.Sla.Limit) && a.Rate >= a.Sla.Limit * (1 - 1e-9);
        return a.Rule == DecisionRule.TrackDemand || atCeiling ? (byte)1
            : a.Rule == DecisionRule.StarvedRaise ? (byte)3
            : (byte)4;
    }

    private AllocationEntry Allocate(AppState a, double capacity)
    {
        double share = capacity > 0 ? Math.Clamp(a.Rate / capacity, 0, 1) : 0;
        bool latency = a.Sla.Class == AppClass.LatencySensitive;
        int queues = 1 + (int)Math.Round(share * (_options.MaxIoQueues - 1));
        if (latency)
        {
            queues = Math.Max(queues, 2);
        }

        double iops = a.Rate / Math.Max(a.CostPerRequest, 1e-9);
        double bytesPerSecond = iops * a.BytesPerRequest;
        return new AllocationEntry
        {
            Application = a.Sla.Application,
            IoQueueCount = (ushort)Math.Clamp(queues, 1, _options.MaxIoQueues),
            DequeueWeight = (ushort)Math.Clamp(Math.Round(share * 1024), 1, 1024),
            DequeueFrequencyHz = (uint)Math.Clamp(iops / Math.Max(1, _options.DequeueBatch), 100, uint.MaxValue),
            MeterRateBitsPerSecond = (ulong)Math.Min(bytesPerSecond * 8 * (1 + _options.MeterOverhead), ulong.MaxValue),
            TransmitBudgetSize = (uint)Math.Clamp(bytesPerSecond * _options.Period.TotalSeconds, 0, uint.MaxValue),
            PriorityHint = PriorityHintOf(a, latency),
        };
    }
}
