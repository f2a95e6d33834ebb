using Offload.Controller.Cost;
using Offload.Controller.Policy;
using Offload.Controller.Prediction;
using Offload.Simulation.Model;
using Offload.Simulation.Results;

namespace Offload.Simulation.Engine;

/// <summary>
/// Discrete-event simulation in virtual time of tenants, the NIC's per-tenant SQ scheduler and the shared
/// memory. In <see cref="SchedulerKind.Offload"/> mode the real <see cref="VsControllerPolicy"/> runs every
/// control period on telemetry built as the real wire messages. Single-threaded and seeded: deterministic.
/// </summary>
internal sealed partial class DiscreteEventSimulator : IDisposable
{
    private readonly SimulationConfig _config;
    private readonly DeviceModel _device;
    private readonly Random _rng;
    private readonly PriorityQueue<SimEvent, (long Time, long Seq)> _events = new();
    private readonly TenantRuntime[] _tenants;
    private readonly VirtualClock _clock = new();
    private readonly VsControllerPolicy? _policy;
    private readonly SqliteHistoryStore? _history;
    private readonly SimRequest?[] _channels;
    private readonly Queue<SimRequest> _deviceQueue = new();
    private readonly long _periodNanos;
    private readonly long _endNanos;
    private readonly long _warmupNanos;
    private readonly int _periods;
    private readonly double[] _seriesCapacity;
    private long _seq;
    private int _busyChannels;
    private double _busyIntegral;
    private long _busyChangedNanos;
    private long _wakeAt = long.MaxValue;
    private int _wakeGeneration;
    private int _tick;

    public DiscreteEventSimulator(SimulationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _device = config.Device;
        _rng = new Random(config.Seed);
        _periodNanos = (long)(config.PeriodSeconds * 1e9);
        _endNanos = (long)(config.DurationSeconds * 1e9);
        _warmupNanos = (long)(config.WarmupSeconds * 1e9);
        _periods = (int)(_endNanos / _periodNanos);
        _seriesCapacity = new double[_periods];
        _channels = new SimRequest?[_device.Channels];
        _tenants = new TenantRuntime[config.Tenants.Count];
        for (int i = 0; i < _tenants.Length; i++)
        {
            _tenants[i] = new TenantRuntime(config.Tenants[i], _periods);
        }

        BuildNic();

        var policyCost = config.PolicyCost ?? new CostModel(1.0, _device.WriteCost);
        if (config.Kind == SchedulerKind.Offload)
        {
            _history = new SqliteHistoryStore($"Data Source={config.HistoryPath ?? ":memory:"}");
            var options = new ControllerOptions
            {
                Period = TimeSpan.FromSeconds(config.PeriodSeconds),
                InitialCapacity = _device.ReadIops * config.InitialCapacityFraction,
                Cost = policyCost,
                PredictionEnabled = config.PredictionEnabled,
            };
            _policy = new VsControllerPolicy(options, _clock, _history);
            foreach (var t in _tenants)
            {
                _policy.SetSla(t.Spec.ToSla());
            }
        }
    }

    /// <summary>The policy (Offload mode only), for explain output.</summary>
    public VsControllerPolicy? Policy => _policy;

    /// <summary>Runs to the end and returns the measurements.</summary>
    public SimResult Run()
    {
        for (int i = 0; i < _tenants.Length; i++)
        {
            var spec = _tenants[i].Spec;
            if (spec.OnPeriods.Count == 0)
            {
                Schedule(0, new SimEvent(EventKind.Connect, i, 0, null));
                Schedule(0, new SimEvent(EventKind.On, i, 0, null));
                continue;
            }

            foreach (var (start, end) in spec.OnPeriods)
            {
                long s = (long)(start * 1e9);
                Schedule(Math.Max(0, s - (long)(spec.ConnectLeadSeconds * 1e9)), new SimEvent(EventKind.Connect, i, 0, null));
                Schedule(s, new SimEvent(EventKind.On, i, 0, null));
                Schedule((long)(end * 1e9), new SimEvent(EventKind.Off, i, 0, null));
            }
        }

        Schedule(_periodNanos, new SimEvent(EventKind.Tick, 0, 0, null));
        while (_events.TryDequeue(out var e, out var key))
        {
            if (key.Time > _endNanos)
            {
                break;
            }

            _clock.Nanos = key.Time;
            Handle(e);
        }

        _clock.Nanos = _endNanos;
        AccountBusy();
        return SimResult.From(_config, _tenants, _seriesCapacity, _busyIntegral, _periodNanos);
    }

    public void Dispose() => _history?.Dispose();

    private long Now => _clock.Nanos;

    private void Schedule(long at, SimEvent e) => _events.Enqueue(e, (at, _seq++));

    private void Handle(SimEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Connect: OnConnect(e.Tenant); break;
            case EventKind.On: OnStart(e.Tenant); break;
            case EventKind.Off: OnStop(e.Tenant); break;
            case EventKind.Arrival: OnArrival(e.Tenant); break;
            case EventKind.ChannelDone: OnChannelDone(e.Channel); break;
            case EventKind.HostComplete: OnHostComplete(e.Request!); break;
            case EventKind.Tick: OnTick(); break;
            case EventKind.Wake when e.Channel == _wakeGeneration:
                // Only the latest wake: one superseded by an earlier one is stale (that one re-arms as needed).
                _wakeAt = long.MaxValue;
                TryDispatch();
                break;
        }
    }

    private void OnConnect(int i)
    {
        var t = _tenants[i];
        if (t.Connected)
        {
            return;
        }

        t.Connected = true;
        if (_config.Kind == SchedulerKind.StaticLimits)
        {
            // SPDK bdev QoS style: the operator splits the device's rated IOPS equally, per I/O, no work conservation.
            _limiter.SetApplicationRate(_nicQueues[i].App, (long)(_device.ReadIops / _tenants.Length), 0);
        }
    }

    private void OnStart(int i)
    {
        var t = _tenants[i];
        t.Active = true;
        if (t.Spec.Arrival == ArrivalKind.ClosedLoop)
        {
            while (t.Outstanding < t.Spec.QueueDepth)
            {
                Issue(i, Now);
            }
        }
        else
        {
            Schedule(Now + NextGap(t.Spec.Rate), new SimEvent(EventKind.Arrival, i, 0, null));
        }
    }

    private void OnStop(int i)
    {
        var t = _tenants[i];
        t.Active = false;
        t.HostBacklog.Clear();
        t.Connected = false;
    }

    private void OnArrival(int i)
    {
        var t = _tenants[i];
        if (!t.Active)
        {
            return;
        }

        if (t.Outstanding < t.Spec.QueueDepth)
        {
            Issue(i, Now);
        }
        else
        {
            t.HostBacklog.Enqueue(Now);
        }

        Schedule(Now + NextGap(t.Spec.Rate), new SimEvent(EventKind.Arrival, i, 0, null));
    }

    private void Issue(int i, long issuedNanos)
    {
        var t = _tenants[i];
        bool write = _rng.NextDouble() >= t.Spec.ReadFraction;
        var r = new SimRequest
        {
            Tenant = i,
            IsWrite = write,
            Size = t.Spec.BlockSize,
            DeviceCost = _device.CostOf(write, t.Spec.BlockSize),
            IssuedNanos = issuedNanos,
        };
        t.Outstanding++;
        if (_config.Kind == SchedulerKind.Fifo)
        {
            DeviceSubmit(r);
            return;
        }

        Receive(i, r);
    }

    private void OnHostComplete(SimRequest r)
    {
        var t = _tenants[r.Tenant];
        t.Outstanding--;
        if (Now >= _warmupNanos)
        {
            t.LatencyTimes.Add(Now);
            t.Latencies.Add(Now - r.IssuedNanos);
        }

        if (!t.Active)
        {
            return;
        }

        if (t.Spec.Arrival == ArrivalKind.ClosedLoop)
        {
            Issue(r.Tenant, Now);
        }
        else if (t.HostBacklog.Count > 0)
        {
            Issue(r.Tenant, t.HostBacklog.Dequeue());
        }
    }

    private long NextGap(double rate) => Math.Max(1, (long)(-Math.Log(1 - _rng.NextDouble()) / rate * 1e9));
}
