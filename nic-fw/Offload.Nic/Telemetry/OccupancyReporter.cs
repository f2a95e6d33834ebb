using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Offload.Contracts.Ids;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Nic.Nvme.Scheduler;
using QueueOccupancy = Offload.Contracts.Messages.QueueOccupancy;
using Offload.Nic.Nvme.Subsystem;
using NvmeAppId = Offload.Nic.Nvme.Subsystem.AppId;
using NvmeLevel = Offload.Nic.Nvme.Scheduler.OccupancyLevel;
using WireLevel = Offload.Contracts.Messages.OccupancyLevel;

namespace Offload.Nic.Telemetry;

/// <summary>
/// Ships <see cref="QueueOccupancy"/> (and, each period, the <see cref="FlowMetadataBatch"/> of per-application
/// request rates when the source counts them) to the host: every <see cref="TelemetryOptions.Period"/> (trigger Periodic) and
/// at once (trigger Threshold) when a queue's level changes. A source that implements <see cref="IOccupancySignalSource"/>
/// wakes the reporter's thread the moment a queue's instantaneous level changes; levels (including the time-averaged
/// ones, which move without a depth change) are also checked every <see cref="TelemetryOptions.ThresholdPoll"/> while any
/// queue exists (once a period when there is none).
/// One entry per queue pair (SQ and CQ side by side). The level sent is the higher of the source's time-averaged
/// level and the level of the instantaneous depth, so a burst is visible in the message that reports it.
/// Steady state allocates nothing: the snapshot list, the level table and the message are reused.
/// Single-threaded: only the reporter thread calls <see cref="Sample"/>.
/// </summary>
internal sealed partial class OccupancyReporter : IHostedService, IDisposable
{
    private readonly IOccupancySource _source;
    private readonly AppDirectory _apps;
    private readonly MailboxDevice? _device;
    private readonly FlowMetadataSampler? _flows;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TelemetryOptions _options;
    private readonly OccupancyThresholds _thresholds;
    private LineLevels[] _lines = [];
    private int _liveQueuePairs;
    private long _passes;
    private TimeProvider? _slabClock;
    private double _constantsPerTick;
    private readonly QueueOccupancy _message = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly OccupancySignal _signal;
    private long _lastPeriodic;
    private long _periodicSent;
    private long _thresholdSent;
    private readonly NetworkSummaryBuilder? _summary;
    private int _periodsSinceSummary;
    private long _summariesSent;
    private long _lastCrossingObserved;
    private long _lastCrossingSent;

    public OccupancyReporter(IOccupancySource source, AppDirectory apps, MailboxDevice? device, TimeProvider time, IOptions<TelemetryOptions> options,
        IApplicationCounterSource? counters = null, string? node = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        ArgumentNullException.ThrowIfNull(options);
        _source = source;
        _apps = apps;
        _device = device;
        _time = time;
        _options = options.Value;
        _thresholds = new OccupancyThresholds(_options.MediumThreshold, _options.HighThreshold);
        _signal = new OccupancySignal(_thresholds);
        (source as IOccupancySignalSource)?.AttachSignal(_signal);
        _lastPeriodic = time.GetTimestamp();
        _flows = counters is null ? null : new FlowMetadataSampler(counters, apps, time,
            counters is Offload.Nic.Nvme.NvmeTcpTarget target ? target.Catalog.Region.Size : 0, counters as IConnectionCounterSource)
        {
            PackConnections = _options.PackedConnectionRecords,
        };
        _summary = counters is null || _options.NetworkSummaryEvery == 0 ? null : new NetworkSummaryBuilder(node ?? "", apps);
    }

    /// <summary>NetworkSummary messages broadcast.</summary>
    public long SummariesSent => Interlocked.Read(ref _summariesSent);

    /// <summary>The message the last <see cref="Sample"/> filled (reused; valid until the next call).</summary>
    public QueueOccupancy Message => _message;

    /// <summary>Sweeps done (<see cref="Sample"/> calls).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    public long PeriodicSent => Interlocked.Read(ref _periodicSent);

    public long ThresholdSent => Interlocked.Read(ref _thresholdSent);

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) at which the last threshold crossing was observed.</summary>
    public long LastCrossingObserved => Interlocked.Read(ref _lastCrossingObserved);

    /// <summary>Timestamp at which the last Threshold report had been handed to every session.</summary>
    public long LastCrossingSent => Interlocked.Read(ref _lastCrossingSent);

    /// <summary>Level changes the source's queues signalled (0 when the source cannot signal).</summary>
    public long Signalled => _signal.Raised;

    /// <summary>
    /// Reads the source once. Returns true when a message is due (a level changed, or a period has passed) and fills
    /// <see cref="Message"/> with trigger Threshold or Periodic.
    /// </summary>
    public bool Sample()
    {
        Interlocked.Increment(ref _passes);
        var slab = _source.Telemetry;
        long now = _time.GetTimestamp();
        bool crossed = UpdateLevels(slab);
        bool periodic = _time.GetElapsedTime(_lastPeriodic, now) >= _options.Period;
        if (!crossed && !periodic)
        {
            return false;
        }

        if (periodic)
        {
            _lastPeriodic = now;
        }

        Fill(slab, crossed ? OccupancyTrigger.Threshold : OccupancyTrigger.Periodic);
        return true;
    }

    /// <summary>
    /// One in-order sweep of the source's telemetry lines: each described queue pair's SQ and CQ level (the higher of
    /// the time-averaged level and the instantaneous depth's) against the level it had at the previous sweep, kept in
    /// an array parallel to the lines. A new connection on a line (another id) starts from Low, so it is a crossing
    /// when it already is above Low; a line that went free is forgotten. At 10,000 connections this replaced a list of
    /// 20,000 snapshots built from each queue pair's objects and matched by key.
    /// </summary>
    private bool UpdateLevels(TelemetrySlab slab)
    {
        bool crossed = false;
        int lineCount = slab.LineCount, live = 0;
        var chunks = slab.Chunks;
        if (_lines.Length < lineCount)
        {
            Array.Resize(ref _lines, chunks.Length * TelemetrySlab.LinesPerChunk);
        }

        if (!ReferenceEquals(_slabClock, slab.Time))
        {
            (_slabClock, _constantsPerTick) = (slab.Time, Nvme.Scheduler.QueueOccupancy.ConstantsPerTick(slab.Time));
        }

        long now = slab.Time.GetTimestamp();
        var states = _lines;
        for (int c = 0, first = 0; c < chunks.Length && first < lineCount; c++, first += TelemetrySlab.LinesPerChunk)
        {
            var chunk = chunks[c];
            var lines = chunk.Lines;
            int n = Math.Min(TelemetrySlab.LinesPerChunk, lineCount - first);
            for (int i = 0; i < n; i++)
            {
                ref var line = ref lines[i];
                ref var state = ref states[first + i];
                long id = Volatile.Read(ref line.Id);
                if (id != state.Id && !Describe(ref state, chunk.Owners[i], id))
                {
                    continue;
                }

                if (id == 0)
                {
                    continue;
                }

                live++;
                var sq = LevelOf(ref line.Submission, ref state.SqAverage, now);
                var cq = LevelOf(ref line.Completion, ref state.CqAverage, now);
                crossed |= sq != state.Sq || cq != state.Cq;
                (state.Sq, state.Cq) = (sq, cq);
            }
        }

        _liveQueuePairs = live;
        return crossed;
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

    /// <summary>A line's new owner (or none): what does not change per sweep is read from the owner once.</summary>
    private bool Describe(ref LineLevels state, ConnectionCounters? owner, long id)
    {
        state = default;
        if (id == 0 || owner is null || owner.Id != id)
        {
            return false;
        }

        state = new LineLevels { Id = id, Application = _apps.GetOrAdd(owner.App), Queue = new QueueId(owner.QueueId) };
        return true;
    }

    /// <summary>The message: one entry per described queue pair in line order, with the levels of the sweep just done.</summary>
    private void Fill(TelemetrySlab slab, OccupancyTrigger trigger)
    {
        _message.Trigger = trigger;
        _message.TimestampUnixNanos = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var entries = _message.Entries;
        entries.Clear();
        var totals = default(NodeTotals);
        int lineCount = Math.Min(slab.LineCount, _lines.Length);
        var chunks = slab.Chunks;
        long now = slab.Time.GetTimestamp();
        var states = _lines;
        for (int c = 0, first = 0; c < chunks.Length && first < lineCount; c++, first += TelemetrySlab.LinesPerChunk)
        {
            var lines = chunks[c].Lines;
            int n = Math.Min(TelemetrySlab.LinesPerChunk, lineCount - first);
            for (int i = 0; i < n; i++)
            {
                ref var state = ref states[first + i];
                if (state.Id == 0)
                {
                    continue;
                }

                ref var line = ref lines[i];
                var e = new QueueOccupancyEntry
                {
                    Application = state.Application,
                    Queue = state.Queue,
                    SqDepth = (uint)Math.Max(0, Volatile.Read(ref line.Submission.Depth)),
                    SqSize = (uint)Math.Max(0, Volatile.Read(ref line.Submission.QueueSize)),
                    SqAverage = (float)state.SqAverage.Read(ref line.Submission, now, _constantsPerTick),
                    SqLevel = (WireLevel)(byte)state.Sq,
                    CqDepth = (uint)Math.Max(0, Volatile.Read(ref line.Completion.Depth)),
                    CqSize = (uint)Math.Max(0, Volatile.Read(ref line.Completion.QueueSize)),
                    CqAverage = (float)state.CqAverage.Read(ref line.Completion, now, _constantsPerTick),
                    CqLevel = (WireLevel)(byte)state.Cq,
                };
                totals.SqDepth += e.SqDepth;
                totals.SqCapacity += e.SqSize;
                totals.CqDepth += e.CqDepth;
                totals.CqCapacity += e.CqSize;
                entries.Add(e);
            }
        }

        _message.Totals = totals;
    }

    private static NvmeLevel Max(NvmeLevel a, NvmeLevel b) => a >= b ? a : b;

    /// <summary>The reporter's memory of one telemetry line: its owner's id, application and queue, and the levels
    /// of the last sweep.</summary>
    private struct LineLevels
    {
        public long Id;
        public Offload.Contracts.Ids.AppId Application;
        public QueueId Queue;
        public NvmeLevel Sq;
        public NvmeLevel Cq;
        public AverageTracker SqAverage;
        public AverageTracker CqAverage;
    }
}
