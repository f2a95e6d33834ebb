namespace Offload.Nic.Datapath.TxQueue;

/// <summary>
/// Per-source transmit byte budgets for one output port, done like Linux BQL (lib/dynamic_queue_limits.c):
/// a dynamic byte limit on what is outstanding in the port's transmit queue (handed to the port, not yet
/// completed), split into per-source budgets by weight. A source never has more than its budget
/// outstanding; frames over budget wait in the source's backlog (bounded; overflow is dropped as
/// <see cref="DropReason.Budget"/>). Completion (<see cref="CompleteNext"/>, the free-buffer hook)
/// releases bytes. Two classes: high first; low when high has nothing admissible, and a low frame older
/// than the aging timeout goes first so low never starves. No allocation after construction;
/// single-threaded (the poll thread that owns the port).
/// </summary>
public sealed partial class ByteBudgetScheduler
{
    private const int MaxSources = 64;
    private readonly byte[] _slots;
    private readonly int _slotSize;
    private readonly int[] _slotLength;
    private readonly long[] _slotEnqueued;
    private readonly int[] _slotNext;
    private readonly int[] _freeSlots;
    private int _freeCount;
    private readonly Source[] _sources = new Source[MaxSources];
    private readonly int[] _sourceIndex = new int[ushort.MaxValue + 1];
    private int _sourceCount;
    private long _totalWeight;

    // Device FIFO of outstanding frames: (source index, size, enqueue time).
    private readonly int[] _outSource;
    private readonly int[] _outSize;
    private readonly long[] _outEnqueued;
    private int _outHead;
    private int _outCount;

    private readonly long _agingTicks;
    private readonly long _minLimit;
    private readonly long _maxLimit;
    private readonly long _slackIntervalTicks;
    private long _outstandingBytes;
    private long _minSlack = long.MaxValue;
    private long _slackIntervalStart;
    private int _rrHigh;
    private int _rrLow;

    /// <summary>Creates the queue.</summary>
    /// <param name="initialLimit">Starting byte limit.</param>
    /// <param name="minLimit">Smallest limit the dynamic adjustment may choose.</param>
    /// <param name="maxLimit">Largest limit (0 pins the limit: dynamic adjustment off).</param>
    /// <param name="backlogSlots">Frames all sources' backlogs can hold together.</param>
    /// <param name="maxFrameSize">Largest frame.</param>
    /// <param name="agingTicks">Low-class aging timeout in timestamp ticks.</param>
    /// <param name="slackIntervalTicks">Interval over which standing slack shrinks the limit.</param>
    /// <param name="budgetsEnabled">False: every source may use the whole limit (plain shared FIFO, for comparison).</param>
    public ByteBudgetScheduler(long initialLimit, long minLimit, long maxLimit, int backlogSlots, int maxFrameSize, long agingTicks,
        long slackIntervalTicks, bool budgetsEnabled = true)
    {
        BudgetsEnabled = budgetsEnabled;
        Limit = initialLimit;
        _minLimit = minLimit;
        _maxLimit = maxLimit;
        _slotSize = maxFrameSize;
        _slots = new byte[backlogSlots * maxFrameSize];
        _slotLength = new int[backlogSlots];
        _slotEnqueued = new long[backlogSlots];
        _slotNext = new int[backlogSlots];
        _freeSlots = new int[backlogSlots];
        for (var i = 0; i < backlogSlots; i++)
        {
            _freeSlots[i] = backlogSlots - 1 - i;
        }

        _freeCount = backlogSlots;
        var outstanding = backlogSlots * 2;
        _outSource = new int[outstanding];
        _outSize = new int[outstanding];
        _outEnqueued = new long[outstanding];
        _agingTicks = agingTicks;
        _slackIntervalTicks = slackIntervalTicks;
        Array.Fill(_sourceIndex, -1);
    }

    /// <summary>False when per-source budgets are off (every source may fill the whole limit).</summary>
    public bool BudgetsEnabled { get; }

    /// <summary>Current dynamic byte limit.</summary>
    public long Limit { get; private set; }

    /// <summary>Bytes handed to the port and not completed.</summary>
    public long OutstandingBytes => _outstandingBytes;

    /// <summary>Frames handed to the port and not completed.</summary>
    public int OutstandingPackets => _outCount;

    /// <summary>Adds or reconfigures a source.</summary>
    public void SetSource(SourceId id, int weight, TrafficClass trafficClass, int backlogLimit = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        var index = _sourceIndex[id.Value];
        if (index < 0)
        {
            if (_sourceCount == MaxSources)
            {
                throw new InvalidOperationException($"At most {MaxSources} sources per port.");
            }

            index = _sourceCount++;
            _sourceIndex[id.Value] = index;
            _sources[index] = new Source { Head = -1, Tail = -1, Id = id.Value };
        }

        _totalWeight += weight - _sources[index].Weight;
        _sources[index].Weight = weight;
        _sources[index].Class = trafficClass;
        _sources[index].BacklogLimit = backlogLimit;
    }

    /// <summary>The source's share of the limit.</summary>
    public long BudgetOf(SourceId id) => Budget(_sourceIndex[id.Value]);

    /// <summary>Counters of one source.</summary>
    public SourceCounters CountersOf(SourceId id)
    {
        ref var s = ref _sources[_sourceIndex[id.Value]];
        return new SourceCounters(s.InflightBytes, s.InflightPackets, s.BacklogCount, s.Completed, s.BudgetDrops,
            s.TotalTimeInQueue, s.MaxTimeInQueue, Budget(_sourceIndex[id.Value]));
    }

    /// <summary>Queues a frame from <paramref name="id"/>; false (counted, <see cref="DropReason.Budget"/>) when its backlog is full.</summary>
    public bool TryEnqueue(SourceId id, ReadOnlySpan<byte> frame, long now)
    {
        var index = _sourceIndex[id.Value];
        if (index < 0 || frame.Length > _slotSize)
        {
            return false;
        }

        ref var s = ref _sources[index];
        if (s.BacklogCount >= s.BacklogLimit || _freeCount == 0)
        {
            s.BudgetDrops++;
            return false;
        }

        var slot = _freeSlots[--_freeCount];
        frame.CopyTo(_slots.AsSpan(slot * _slotSize));
        _slotLength[slot] = frame.Length;
        _slotEnqueued[slot] = now;
        _slotNext[slot] = -1;
        if (s.Tail < 0)
        {
            s.Head = slot;
        }
        else
        {
            _slotNext[s.Tail] = slot;
        }

        s.Tail = slot;
        s.BacklogCount++;
        return true;
    }

    private long Budget(int index) => !BudgetsEnabled ? Limit : _totalWeight == 0 ? 0 : Limit * _sources[index].Weight / _totalWeight;

    private struct Source
    {
        public ushort Id;
        public int Weight;
        public TrafficClass Class;
        public int BacklogLimit;
        public int Head;
        public int Tail;
        public int BacklogCount;
        public long InflightBytes;
        public long InflightPackets;
        public long Completed;
        public long BudgetDrops;
        public long TotalTimeInQueue;
        public long MaxTimeInQueue;
    }
}
