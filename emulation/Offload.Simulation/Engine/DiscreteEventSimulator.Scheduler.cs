using Microsoft.Extensions.Logging.Abstractions;
using Offload.Contracts.Messages;
using Offload.Nic.Enforcement;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Telemetry;
using Offload.Simulation.Model;
using NvmeAppId = Offload.Nic.Nvme.Subsystem.AppId;
using WireAppId = Offload.Contracts.Ids.AppId;

namespace Offload.Simulation.Engine;

/// <summary>
/// The NIC side, built from the real nic-fw code on the simulator's <see cref="VirtualClock"/>:
/// <list type="bullet">
/// <item>each command first passes its application's <see cref="TokenBucketRateLimiter"/> (IOPS and bytes/s buckets,
/// as a queue pair does before running a command; an application without a rate is unlimited), then</item>
/// <item>waits in its SQ for the <see cref="DequeueScheduler"/> (round robin or weighted round robin with the
/// weights the controller grants through <see cref="ApplicationGrants"/>), which dequeues whenever the shared memory
/// has a free dispatch slot.</item>
/// </list>
/// The controller's output reaches them as the real <see cref="RateUpdate"/>/<see cref="AllocationUpdate"/>, through
/// the wire codec and nic-fw's own <see cref="RateEnforcer"/> and <see cref="AllocationEnforcer"/>.
/// NVMe RR uses the same <see cref="DequeueScheduler"/> (round robin, no limiter, device queue depth as the budget);
/// static limits use the same limiter with fixed equal rates and no arbiter (SPDK bdev QoS style).
/// </summary>
internal sealed partial class DiscreteEventSimulator
{
    private readonly AppDirectory _directory = new();
    private readonly ApplicationGrants _grants = new();
    private readonly Dictionary<WireAppId, WireAppId> _toNicId = [];
    private TokenBucketRateLimiter _limiter = null!;
    private DequeueScheduler _dequeue = null!;
    private RateEnforcer _rateEnforcer = null!;
    private AllocationEnforcer _allocationEnforcer = null!;
    private NicQueue[] _nicQueues = [];
    private int _admitStart;

    /// <summary>Commands the NIC keeps at the memory: its channels plus the configured extra slots.</summary>
    private int DispatchSlotCount => _device.Channels + _config.DispatchExtraSlots;

    /// <summary>Slots throughput-class commands may hold: all of them, less the latency reserve while a latency-class
    /// tenant is connected.</summary>
    private int ThroughputSlotCount => _dequeue.HasPriorityQueues
        ? Math.Max(1, DispatchSlotCount - _config.LatencyReserveSlots)
        : DispatchSlotCount;

    /// <summary>True when a memory slot (of those a lent, throughput-class command may hold) is free and no
    /// rate-admitted command waits for one.</summary>
    private bool HasIdleSlot()
    {
        int waiting = DeviceOutstanding;
        foreach (var q in _nicQueues)
        {
            waiting += q.Depth;
        }

        return waiting < ThroughputSlotCount;
    }

    private void BuildNic()
    {
        // Work-conserving lending (Offload only) asks the dispatch stage whether a memory slot is free with nothing
        // admitted waiting for it: the NIC's own knowledge, not the device's rated capacity.
        _limiter = new TokenBucketRateLimiter(_clock)
        {
            WorkConserving = _config.NicWorkConserving && _config.Kind == SchedulerKind.Offload,
            IdleCapacity = new DispatchSlots(this),
        };
        _dequeue = new DequeueScheduler(_config.Kind == SchedulerKind.NvmeRoundRobin ? SchedulingPolicy.RoundRobin : SchedulingPolicy.WeightedRoundRobin);
        _grants.WeightChanged += _dequeue.SetWeight;
        _grants.PriorityChanged += _dequeue.SetPriority;
        _rateEnforcer = new RateEnforcer(_limiter, _directory, NullLogger<RateEnforcer>.Instance);
        _allocationEnforcer = new AllocationEnforcer(_grants, _directory, NullLogger<AllocationEnforcer>.Instance);
        _nicQueues = new NicQueue[_tenants.Length];
        for (int i = 0; i < _tenants.Length; i++)
        {
            int index = i;
            var spec = _tenants[i].Spec;
            var app = new NvmeAppId($"nqn.2026-01.io.offload.sim:{spec.Name}", new Guid(i + 1, 0, 0, new byte[8]));
            _toNicId[spec.Application] = _directory.GetOrAdd(app);
            _nicQueues[i] = new NicQueue(app, spec.BlockSize, () => Send(index));
            _dequeue.Register(_nicQueues[i]);
        }
    }

    private void TryDispatch()
    {
        switch (_config.Kind)
        {
            case SchedulerKind.NvmeRoundRobin:
                _dequeue.Drain(_device.QueueDepth - DeviceOutstanding);
                break;
            case SchedulerKind.StaticLimits:
                AdmitByRate(toDevice: true);
                break;
            case SchedulerKind.Offload:
                AdmitByRate(toDevice: false);
                _dequeue.Drain(DispatchSlotCount - DeviceOutstanding, ThroughputSlotCount - DeviceOutstanding);
                break;
            default: break;
        }
    }

    /// <summary>A command arrived in tenant <paramref name="i"/>'s SQ on the NIC.</summary>
    private void Receive(int i, SimRequest r)
    {
        var t = _tenants[i];
        t.TouchSq(Now);
        t.Sq.Enqueue(r);
        if (_config.Kind == SchedulerKind.NvmeRoundRobin)
        {
            _nicQueues[i].Depth++;
        }

        TryDispatch();
    }

    /// <summary>Head commands not yet admitted take their application's tokens, in SQ order, as a queue pair does;
    /// a refused head holds its SQ until the limiter's retry time.</summary>
    private void AdmitByRate(bool toDevice)
    {
        long soonest = long.MaxValue;

        // Rotate the first SQ looked at, so idle capacity lent beyond a rate is not always offered to the same tenant.
        _admitStart = (_admitStart + 1) % _tenants.Length;
        for (int k = 0; k < _tenants.Length; k++)
        {
            int i = (_admitStart + k) % _tenants.Length;
            var t = _tenants[i];
            var q = _nicQueues[i];
            while (t.Sq.Count > q.Depth)
            {
                if (!_limiter.TryAcquire(q.App, q.HeadSize, out var retry))
                {
                    soonest = Math.Min(soonest, Now + Math.Max(1, retry.Ticks * 100));
                    break;
                }

                if (toDevice)
                {
                    Send(i);
                }
                else
                {
                    q.Depth++;
                }
            }
        }

        if (soonest < _wakeAt)
        {
            _wakeAt = soonest;
            Schedule(soonest, new SimEvent(EventKind.Wake, 0, ++_wakeGeneration, null));
        }
    }

    private void Send(int i)
    {
        var t = _tenants[i];
        t.TouchSq(Now);
        DeviceSubmit(t.Sq.Dequeue());
    }

    /// <summary>The controller's output as nic-fw receives it: encoded, decoded, applied by its enforcers.</summary>
    private void Enforce(Offload.Controller.Policy.ControlOutput output)
    {
        var rates = output.ToRateUpdate();
        for (int k = 0; k < rates.Entries.Count; k++)
        {
            var e = rates.Entries[k];
            e.Application = _toNicId[e.Application];
            rates.Entries[k] = e;
        }

        var allocations = output.ToAllocationUpdate();
        for (int k = 0; k < allocations.Entries.Count; k++)
        {
            var e = allocations.Entries[k];
            e.Application = _toNicId[e.Application];
            allocations.Entries[k] = e;
        }

        _rateEnforcer.Apply(WireRoundTrip(rates));
        _allocationEnforcer.Apply(WireRoundTrip(allocations));
        TryDispatch();
    }

    private static T WireRoundTrip<T>(T message)
        where T : class, IMailboxMessage
        => (T)MessageCodec.Decode(message.Type, new System.Buffers.ReadOnlySequence<byte>(MessageCodec.Encode(message)))!;

    private sealed class DispatchSlots(DiscreteEventSimulator sim) : IIdleCapacity
    {
        public bool HasIdleCapacity => sim.HasIdleSlot();
    }
}
