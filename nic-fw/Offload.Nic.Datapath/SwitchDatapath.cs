using System.Collections.Concurrent;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowCache;
using Offload.Nic.Datapath.Port;
using Offload.Nic.Datapath.TxQueue;
using Offload.Nic.Datapath.Upcall;

namespace Offload.Nic.Datapath;

/// <summary>
/// The switch datapath (the dpif-netdev role): receives bursts from ports, extracts keys, looks them up in
/// the exact-match cache then the megaflow classifier, executes actions, counts, and sends misses up through
/// <see cref="IUpcallSink"/>. It holds no policy. One poll thread calls <see cref="Poll"/> (or
/// <see cref="RunAsync"/>); the control API (<see cref="InstallFlow"/> etc.) is safe from any thread and is
/// applied by the poll thread at the start of its next iteration.
/// </summary>
public sealed partial class SwitchDatapath : IFlowRemovalObserver
{
    private const int MaxPorts = 256;

    private readonly DatapathOptions _options;
    private readonly IUpcallSink _sink;
    private readonly TimeProvider _time;
    private readonly long _frequency;
    private readonly FlowTable _table;
    private readonly ExactMatchCache _emc;
    private readonly HeldPacketQueue _held;
    private readonly MeterTable _meters = new();
    private readonly ConcurrentQueue<ControlCommand> _commands = new();
    private readonly int[] _portIndex = new int[ushort.MaxValue + 1];
    private readonly IPort[] _ports = new IPort[MaxPorts];
    private readonly ushort[] _portNumbers = new ushort[MaxPorts];
    private readonly int[] _portMtu = new int[MaxPorts];
    private readonly FrameBatch[] _txBatches = new FrameBatch[MaxPorts];
    private readonly long[] _portRxPackets = new long[MaxPorts];
    private readonly long[] _portRxBytes = new long[MaxPorts];
    private readonly long[] _portTxPackets = new long[MaxPorts];
    private readonly long[] _portTxBytes = new long[MaxPorts];
    private readonly long[] _portTxDropped = new long[MaxPorts];
    private readonly ByteBudgetScheduler?[] _budgets = new ByteBudgetScheduler?[MaxPorts];
    private readonly FrameBatch _rx;
    private readonly FrameBatch _heldWork;
    private readonly bool[] _congested = new bool[AppId.Capacity];
    private readonly uint[] _advertisedRate = new uint[AppId.Capacity];
    private readonly long _upcallTimeoutTicks;
    private TokenBucket _upcallBucket;
    private int _portCount;
    private long _nextFlowId;
    private long _nextUpcallId;
    private long _lastRank;
    private long _now;
    private long _lastSweep;

    /// <summary>Creates a datapath.</summary>
    public SwitchDatapath(DatapathOptions options, IUpcallSink sink, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _sink = sink;
        _time = time;
        _frequency = time.TimestampFrequency;
        var now = time.GetTimestamp();
        _table = new FlowTable(options.FlowLimit, ToTicks(options.EvictionMinIdle), this);
        _emc = new ExactMatchCache(options.EmcEntries, options.EmcInsertInverseProbability);
        _held = new HeldPacketQueue(options.HeldPacketCapacity, options.MaxFrameSize);
        _rx = new FrameBatch(options.MaxFrameSize);
        _heldWork = new FrameBatch(options.MaxFrameSize, 1);
        _upcallTimeoutTicks = ToTicks(options.UpcallTimeout);
        _upcallBucket = new TokenBucket(options.UpcallRatePerSecond, options.UpcallBurst, _frequency, now);
        _lastRank = now;
        Array.Fill(_portIndex, -1);
    }

    /// <summary>Counters.</summary>
    public DatapathStats Stats { get; } = new();

    /// <summary>Megaflows installed now (poll-thread view).</summary>
    public int FlowCount => _table.Count;

    /// <summary>Distinct masks (subtables) in the classifier.</summary>
    public int SubtableCount => _table.SubtableCount;

    /// <summary>Packets currently held for outstanding upcalls.</summary>
    public int HeldCount => _held.Count;

    /// <summary>Ports added so far.</summary>
    public int PortCount => Volatile.Read(ref _portCount);

    /// <summary>
    /// Counters of the port at <paramref name="index"/> (0..<see cref="PortCount"/>-1, in the order added); safe from any
    /// thread (values may be slightly stale).
    /// </summary>
    public PortCounters GetPortCounters(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, PortCount);
        return new PortCounters(
            new PortNo(_portNumbers[index]), _ports[index].Name,
            Volatile.Read(ref _portRxPackets[index]), Volatile.Read(ref _portRxBytes[index]),
            Volatile.Read(ref _portTxPackets[index]), Volatile.Read(ref _portTxBytes[index]), Volatile.Read(ref _portTxDropped[index]), _portMtu[index]);
    }

    /// <summary>Adds a port with its MTU (the largest IP packet it carries: a rate advertisement never grows a packet
    /// past it). Call before polling starts (or from the poll thread).</summary>
    public void AddPort(PortNo number, IPort port, int mtu = RateOption.MaxStampedIpLength)
    {
        ArgumentNullException.ThrowIfNull(port);
        if (mtu < RateOption.MinMtu || mtu > RateOption.MaxMtu || mtu + RateOption.FrameOverhead > _options.MaxFrameSize)
        {
            throw new ArgumentOutOfRangeException(nameof(mtu), mtu,
                $"Port {number}: MTU {mtu} is outside {RateOption.MinMtu}..{Math.Min(RateOption.MaxMtu, _options.MaxFrameSize - RateOption.FrameOverhead)} (the datapath's frames are at most {_options.MaxFrameSize} bytes).");
        }

        if (_portCount == MaxPorts || _portIndex[number.Value] >= 0)
        {
            throw new InvalidOperationException($"Port {number} cannot be added: already present or {MaxPorts} ports in use.");
        }

        _ports[_portCount] = port;
        _portNumbers[_portCount] = number.Value;
        _portMtu[_portCount] = mtu;
        _txBatches[_portCount] = new FrameBatch(_options.MaxFrameSize);
        _portIndex[number.Value] = _portCount;
        _portCount++;
    }

    /// <summary>
    /// Puts per-source transmit byte budgets on an output port. Sources are ingress port numbers
    /// (<see cref="SourceId"/> = <see cref="PortNo"/> value); frames from a source the scheduler does not know are
    /// dropped as <see cref="DropReason.Budget"/>. A frame counts as completed when the port's TransmitBurst
    /// has taken it. Call before polling starts.
    /// </summary>
    public void SetTransmitBudget(PortNo port, ByteBudgetScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var index = _portIndex[port.Value];
        if (index < 0)
        {
            throw new InvalidOperationException($"Port {port} does not exist; add it before setting its transmit budget.");
        }

        _budgets[index] = scheduler;
    }

    /// <summary>Looks up a flow (poll thread or when the datapath is quiescent).</summary>
    public Megaflow? GetFlow(FlowId id) => _table.Get(id);

    /// <summary>
    /// One poll iteration: apply control commands, receive one burst from every port, process, flush
    /// transmit batches, expire held packets and flows. Returns frames received.
    /// </summary>
    public int Poll()
    {
        var now = _time.GetTimestamp();
        _now = now;
        ApplyCommands(now);
        var received = 0;
        for (var p = 0; p < _portCount; p++)
        {
            _rx.Clear();
            var n = _ports[p].ReceiveBurst(_rx);
            if (n == 0)
            {
                continue;
            }

            received += n;
            Stats.RxPackets += n;
            if (_capturePort == _portNumbers[p])
            {
                Mirror(_rx, n, outbound: false);
            }

            _portRxPackets[p] += n;
            ProcessBurst(_rx, p, now);
        }

        FlushAll();
        Housekeeping(now);
        if (!_dumps.IsEmpty)
        {
            ServiceDumps();
        }

        return received;
    }

    /// <summary>Polls until cancelled: spin, then yield, then park 1 ms when idle.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Task.Factory.StartNew(
        () =>
        {
            var idle = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (Poll() > 0 || !_commands.IsEmpty)
                {
                    idle = 0;
                    continue;
                }

                idle++;
                if (idle < 64)
                {
                    Thread.SpinWait(32);
                }
                else if (idle < 128)
                {
                    Thread.Yield();
                }
                else
                {
                    Thread.Sleep(1);
                }
            }
        },
        cancellationToken,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    private void Housekeeping(long now)
    {
        if (_held.Count > 0)
        {
            var expired = _held.Expire(now);
            if (expired > 0)
            {
                Stats.Drops.Add(DropReason.UpcallTimeout, expired);
            }
        }

        // Timeouts are checked at most once per millisecond, SweepBudget flows at a time (a full pass over
        // 200,000 flows takes about 200 ms), so an idle table costs nothing per packet.
        if (now - _lastSweep >= _frequency / 1000 && _table.Count > 0)
        {
            _table.Sweep(now, Math.Min(_options.SweepBudget, _table.Count));
            _lastSweep = now;
        }
        if (now - _lastRank >= _frequency)
        {
            _table.Rank();
            _lastRank = now;
        }
    }

    private long ToTicks(TimeSpan span) => span <= TimeSpan.Zero ? 0 : (long)(span.TotalSeconds * _frequency);

    void IFlowRemovalObserver.OnRemoved(Megaflow flow, FlowRemovedReason reason)
    {
        switch (reason)
        {
            case FlowRemovedReason.Evicted:
                Stats.FlowsEvicted++;
                break;
            case FlowRemovedReason.IdleTimeout or FlowRemovedReason.HardTimeout:
                Stats.FlowsExpired++;
                break;
        }

        _sink.OnFlowRemoved(flow.Id, flow.Match, flow.Mask, reason, flow.Stats);
    }
}
