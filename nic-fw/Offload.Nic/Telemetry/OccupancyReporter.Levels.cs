using Offload.Contracts.Ids;
using Offload.Nic.Nvme.Scheduler;
using NvmeLevel = Offload.Nic.Nvme.Scheduler.OccupancyLevel;

namespace Offload.Nic.Telemetry;

/// <summary>
/// The reporter's levels: per telemetry line (the SQ and CQ level of the queue pair on it, in an array parallel to
/// the slab's lines) and per application (how many of its queues are at each level, so its highest level is known
/// without a sweep). A level change is a crossing for the message's scope: with queue pairs listed one by one, any
/// queue's; with one entry per application, an application's highest level (at 10,000 connections some queue changes
/// level all the time, and each such report would be a full fill).
/// </summary>
internal sealed partial class OccupancyReporter
{
    private const int Levels = 3;
    private SweepParts _sweepParts = SweepParts.All;

    /// <summary>The per-line work of every full sweep (<see cref="SweepParts.All"/>; the others leave parts out, so a
    /// benchmark can tell what each part costs: <c>telemetry-loop --sweep</c>, <c>telemetry-period --sweep</c>).</summary>
    internal SweepParts Parts
    {
        get => _sweepParts;
        set => _sweepParts = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Not a SweepParts value.");
    }

    private LineLevels[] _lines = [];
    private int[] _applicationCounts = new int[16 * 2 * Levels];
    private NvmeLevel[] _applicationReported = new NvmeLevel[16 * 2];

    /// <summary>
    /// One in-order sweep of every line: each described queue pair's SQ and CQ level (the higher of the time-averaged
    /// level and the instantaneous depth's) against the level it had before. A new connection on a line (another id)
    /// starts from Low, so it is a crossing when it already is above Low; a line that went free is forgotten. Clears
    /// the lines' changed bits (this sweep reads them all). With <paramref name="fill"/>, also fills the message (the
    /// period's report: one sweep for both), and with <paramref name="flows"/> measures each line's connection record
    /// while the line is at hand (the period's flow metadata: one sweep for all three).
    /// </summary>
    private bool UpdateLevels(TelemetrySlab slab, bool fill = false, FlowMetadataSampler? flows = null)
    {
        if (_sweepParts != SweepParts.All)
        {
            flows = null; // the records measured ahead stay empty: the batches carry application records only
        }

        bool readLines = _sweepParts != SweepParts.NoLines;
        bool changed = false;
        int lineCount = Prepare(slab), live = 0;
        long now = slab.Time.GetTimestamp();
        var chunks = slab.Chunks;
        var states = _lines;
        for (int c = 0, first = 0; c < chunks.Length && first < lineCount; c++, first += TelemetrySlab.LinesPerChunk)
        {
            var chunk = chunks[c];
            var bits = chunk.Changed;
            for (int w = 0; w < bits.Length; w++)
            {
                if (Volatile.Read(ref bits[w]) != 0)
                {
                    Interlocked.Exchange(ref bits[w], 0);
                }
            }

            int n = readLines ? Math.Min(TelemetrySlab.LinesPerChunk, lineCount - first) : 0;
            for (int i = 0; i < n; i++)
            {
                ref var state = ref states[first + i];
                changed |= Visit(chunk, i, ref state, now, ref live);
                if (fill && state.Id != 0)
                {
                    // The flow record takes the averages the report just computed (the same lines, the same moment).
                    var (sq, cq) = Accumulate(ref chunk.Lines[i], ref state, now, endsWindow: true);
                    flows?.SweepLine(chunk, i, first + i, sq, cq);
                }
                else
                {
                    flows?.SweepLine(chunk, i, first + i);
                }
            }
        }

        _liveQueuePairs = live;
        return Crossed(changed);
    }

    /// <summary>Only the lines whose queues signalled a level change since the last pass (their changed bits).</summary>
    private bool UpdateChanged(TelemetrySlab slab)
    {
        bool changed = false;
        int lineCount = Prepare(slab), live = 0;
        long now = slab.Time.GetTimestamp();
        var chunks = slab.Chunks;
        var states = _lines;
        for (int c = 0, first = 0; c < chunks.Length && first < lineCount; c++, first += TelemetrySlab.LinesPerChunk)
        {
            var chunk = chunks[c];
            var words = chunk.Changed;
            for (int w = 0; w < words.Length; w++)
            {
                if (Volatile.Read(ref words[w]) == 0)
                {
                    continue;
                }

                for (ulong bits = (ulong)Interlocked.Exchange(ref words[w], 0); bits != 0; bits &= bits - 1)
                {
                    int i = (w * 64) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                    if (first + i < lineCount)
                    {
                        changed |= Visit(chunk, i, ref states[first + i], now, ref live);
                    }
                }
            }
        }

        return Crossed(changed);
    }

    /// <summary>Grows the per-line table to the slab and takes its averaging constant; the lines to read.</summary>
    private int Prepare(TelemetrySlab slab)
    {
        _constantsPerTick = slab.ConstantsPerTick;
        return slab.Fit(ref _lines);
    }

    /// <summary>One line: (re)described when its owner changed, its levels taken; true when they changed.</summary>
    private bool Visit(TelemetrySlab.Chunk chunk, int i, ref LineLevels state, long now, ref int live)
    {
        ref var line = ref chunk.Lines[i];
        long id = Volatile.Read(ref line.Id);
        if (id != state.Id)
        {
            Forget(ref state);
            if (!Describe(ref state, chunk.Owners[i], id, ref line, now))
            {
                return false;
            }
        }

        if (id == 0)
        {
            return false;
        }

        live++;
        var sq = LevelOf(ref line.Submission, ref state.SqAverage, now);
        var cq = LevelOf(ref line.Completion, ref state.CqAverage, now);
        if (sq == state.Sq && cq == state.Cq)
        {
            return false;
        }

        Count(state.ApplicationIndex, state.Sq, state.Cq, -1);
        Count(state.ApplicationIndex, sq, cq, +1);
        (state.Sq, state.Cq) = (sq, cq);
        return true;
    }

    /// <summary>The higher of the depth's level and the time-averaged depth's. The average now lies between the
    /// average at the last change and the depth (it moves from one toward the other), so when those two have one level
    /// the average has it too and is not computed (most queues, most passes).</summary>
    private NvmeLevel LevelOf(ref QueueState queue, ref AverageTracker average, long now)
    {
        int size = Volatile.Read(ref queue.QueueSize);
        var depth = _thresholds.Classify(Volatile.Read(ref queue.Depth), size);
        if (depth == NvmeLevel.High || _thresholds.Classify(queue.Average, size) == depth)
        {
            return depth;
        }

        return Max(depth, _thresholds.Classify(average.Read(ref queue, now, _constantsPerTick), size));
    }

    /// <summary>A line's new owner: what does not change per sweep is read from it once; its queues start at Low, and its
    /// SQ's first window starts now.</summary>
    private bool Describe(ref LineLevels state, ConnectionCounters? owner, long id, ref ConnectionLine line, long now)
    {
        if (id == 0 || owner is null || owner.Id != id)
        {
            return false;
        }

        var application = _apps.GetOrAdd(owner.App);
        state = new LineLevels
        {
            Id = id,
            Application = application,
            ApplicationIndex = ApplicationIndex(application),
            Queue = new QueueId(owner.QueueId),
            SqIntegral = QueueOccupancy.IntegralAt(ref line.Submission, now),
            SqWindowStart = now,
        };
        Count(state.ApplicationIndex, NvmeLevel.Low, NvmeLevel.Low, +1);
        return true;
    }

    /// <summary>The line's previous owner leaves its application's counts.</summary>
    private void Forget(ref LineLevels state)
    {
        if (state.Id != 0)
        {
            Count(state.ApplicationIndex, state.Sq, state.Cq, -1);
        }

        state = default;
    }

    private void Count(int application, NvmeLevel sq, NvmeLevel cq, int delta)
    {
        int at = application * 2 * Levels;
        _applicationCounts[at + (int)sq] += delta;
        _applicationCounts[at + Levels + (int)cq] += delta;
    }

    /// <summary>Whether this pass crossed a level of the message's scope: a queue's (any line changed) when queue pairs
    /// are listed one by one; an application's highest level otherwise. Application levels are brought up to date
    /// either way, so a change of scope reports no stale crossing.</summary>
    private bool Crossed(bool lineChanged)
    {
        bool applicationChanged = false;
        for (int a = 0; a < _applicationIndex.Count; a++)
        {
            int at = a * 2 * Levels;
            var sq = Highest(at);
            var cq = Highest(at + Levels);
            if (sq != _applicationReported[2 * a] || cq != _applicationReported[(2 * a) + 1])
            {
                applicationChanged = true;
                (_applicationReported[2 * a], _applicationReported[(2 * a) + 1]) = (sq, cq);
            }
        }

        return _perApplication ? applicationChanged : lineChanged;
    }

    private NvmeLevel Highest(int at) =>
        _applicationCounts[at + 2] > 0 ? NvmeLevel.High : _applicationCounts[at + 1] > 0 ? NvmeLevel.Medium : NvmeLevel.Low;

    /// <summary>A small index per application (assigned when a line is first described for it).</summary>
    private int ApplicationIndex(AppId application)
    {
        if (!_applicationIndex.TryGetValue(application, out int index))
        {
            index = _applicationIndex.Count;
            _applicationIndex.Add(application, index);
            if (_applicationSums.Length <= index)
            {
                int grown = _applicationSums.Length * 2;
                Array.Resize(ref _applicationSums, grown);
                Array.Resize(ref _applicationCounts, grown * 2 * Levels);
                Array.Resize(ref _applicationReported, grown * 2);
            }
        }

        return index;
    }

    /// <summary>The reporter's memory of one telemetry line: its owner's id, application and queue, the levels of the
    /// last pass, and its running averages.</summary>
    private struct LineLevels
    {
        public long Id;
        public AppId Application;
        public int ApplicationIndex;
        public QueueId Queue;
        public NvmeLevel Sq;
        public NvmeLevel Cq;
        public AverageTracker SqAverage;
        public AverageTracker CqAverage;

        /// <summary>The SQ's depth integral at the start of the current report window, and when that was.</summary>
        public long SqIntegral;
        public long SqWindowStart;
    }
}

/// <summary>What a full sweep of the reporter reads and measures per line (a benchmark's decomposition of its cost;
/// production always sweeps <see cref="All"/>).</summary>
public enum SweepParts
{
    /// <summary>Levels, the occupancy fill (averages, application sums) and the connection records.</summary>
    All,

    /// <summary>Levels and the occupancy fill; no connection records where they are measured in this sweep (a mailbox,
    /// packed records): flow batches carry application records only.</summary>
    NoConnectionRecords,

    /// <summary>No line is read: no levels, no fill, no connection records (signalled passes still read the lines that
    /// signalled, and each full sweep still takes the changed bits).</summary>
    NoLines,
}
