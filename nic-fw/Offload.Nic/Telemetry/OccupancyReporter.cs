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
/// wakes the reporter's thread the moment a queue's instantaneous level changes, and the signalled pass reads only the
/// lines of the queues that changed (<see cref="SampleChanged"/>); every level (including the time-averaged ones, which
/// move without a depth change) is checked by a full sweep of the source's telemetry lines every
/// <see cref="TelemetryOptions.ThresholdPoll"/> (stretched by <see cref="TelemetryOptions.PollCpuBudget"/>) while any
/// queue exists, and each period (once a period when there is none). Periods are due on a fixed grid (100 reports a
/// second at the 10 ms default however late a wake-up), and with a mailbox the period's sweep also measures every
/// connection's flow record (one pass over the lines for levels, the report and the flow metadata).
/// One entry per queue pair (SQ and CQ side by side), or per application past
/// <see cref="TelemetryOptions.QueueEntriesMax"/> queue pairs. The level sent is the higher of the time-averaged level
/// and the level of the instantaneous depth, so a burst is visible in the message that reports it.
/// Steady state allocates nothing: the per-line and per-application tables and the message are reused.
/// Single-threaded: only the reporter thread calls <see cref="Sample"/> and <see cref="SampleChanged"/>.
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
    private int _liveQueuePairs;
    private long _passes;
    private long _sweeps;
    private long _changedPasses;
    private readonly Dictionary<Offload.Contracts.Ids.AppId, int> _applicationIndex = [];
    private ApplicationSum[] _applicationSums = new ApplicationSum[16];
    private bool _fillPerApplication;

    /// <summary>This pass's scope: per application when the slab holds more lines (queue pairs, admin ones included)
    /// than <see cref="TelemetryOptions.QueueEntriesMax"/>.</summary>
    private bool _perApplication;
    private NodeTotals _fillTotals;
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
            LatencyWindowsPerPeriod = _options.ConnectionLatencyWindowsPerPeriod,
        };
        _summary = counters is null || _options.NetworkSummaryEvery == 0 ? null : new NetworkSummaryBuilder(node ?? "", apps);
    }

    /// <summary>NetworkSummary messages broadcast.</summary>
    public long SummariesSent => Interlocked.Read(ref _summariesSent);

    /// <summary>The message the last <see cref="Sample"/> filled (reused; valid until the next call).</summary>
    public QueueOccupancy Message => _message;

    /// <summary>Full passes done (<see cref="Sample"/> calls); <see cref="Sweeps"/> also counts the signalled passes that
    /// swept every line.</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary>Sweeps of every line: each <see cref="Sample"/>, and each <see cref="SampleChanged"/> that ended a
    /// period.</summary>
    public long Sweeps => Interlocked.Read(ref _sweeps);

    /// <summary>Whether the last pass swept every line (a full pass, or a signalled one that ended a period): the
    /// threshold poll's interval then starts again, as the levels of every queue were just taken.</summary>
    internal bool SweptAll { get; private set; }

    /// <summary>Passes over the signalled queues only (<see cref="SampleChanged"/> calls).</summary>
    public long ChangedPasses => Interlocked.Read(ref _changedPasses);

    public long PeriodicSent => Interlocked.Read(ref _periodicSent);

    public long ThresholdSent => Interlocked.Read(ref _thresholdSent);

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) at which the last threshold crossing was observed.</summary>
    public long LastCrossingObserved => Interlocked.Read(ref _lastCrossingObserved);

    /// <summary>Timestamp at which the last Threshold report had been handed to every session.</summary>
    public long LastCrossingSent => Interlocked.Read(ref _lastCrossingSent);

    /// <summary>Level changes the source's queues signalled (0 when the source cannot signal).</summary>
    public long Signalled => _signal.Raised;

    /// <summary>
    /// Reads every queue once (a full sweep). Returns true when a message is due (a level changed, or a period has
    /// passed) and fills <see cref="Message"/>: trigger Threshold when a level changed, else Periodic;
    /// <see cref="PeriodDue"/> tells whether this pass also ends a period (flow metadata goes with it).
    /// </summary>
    public bool Sample()
    {
        Interlocked.Increment(ref _passes);
        Interlocked.Increment(ref _sweeps);
        SweptAll = true;
        var slab = _source.Telemetry;
        _perApplication = slab.Rented > _options.QueueEntriesMax;
        long started = _time.GetTimestamp();
        bool periodic = _time.GetElapsedTime(_lastPeriodic, started) >= _options.Period;
        if (periodic)
        {
            BeginFill(); // the period's report is filled by the same sweep
        }

        bool crossed = UpdateLevels(slab, fill: periodic, periodic ? FlowsAhead(slab) : null);
        return Finish(slab, crossed, periodic, started);
    }

    /// <summary>
    /// Reads only the queues that signalled a level change since the last pass (their lines' changed bits), and any
    /// period that ended meanwhile; same result as <see cref="Sample"/>. At 10,000 connections a signal re-reads a few
    /// lines instead of 10,000: level changes arrive more than a thousand times a second there.
    /// </summary>
    public bool SampleChanged()
    {
        Interlocked.Increment(ref _changedPasses);
        SweptAll = false;
        var slab = _source.Telemetry;
        _perApplication = slab.Rented > _options.QueueEntriesMax;
        long started = _time.GetTimestamp();
        bool crossed = UpdateChanged(slab);
        bool periodic = _time.GetElapsedTime(_lastPeriodic, started) >= _options.Period;
        if (periodic)
        {
            BeginFill(); // the period's report reads every queue
            crossed |= UpdateLevels(slab, fill: true, FlowsAhead(slab));
            Interlocked.Increment(ref _sweeps);
            SweptAll = true;
        }

        return Finish(slab, crossed, periodic, started);
    }

    /// <summary>True when the last due pass ended a period (and so carries flow metadata as well).</summary>
    public bool PeriodDue { get; private set; }

    /// <summary>Where the period that ends at <paramref name="now"/> ends on the period grid: periods are counted from
    /// the previous period's due time, not from when a pass saw it (a wake-up comes up to a millisecond or more late,
    /// and counting from it sent 92-96 reports a second at a 10 ms period instead of 100); a reporter more than a
    /// period behind (a stalled thread) starts a new grid at <paramref name="now"/> rather than sending a burst.</summary>
    private long NextPeriodStart(long lastPeriodic, long now)
    {
        long period = (long)(_options.Period.TotalSeconds * _time.TimestampFrequency);
        long due = lastPeriodic + period;
        return now - due >= period ? now : due;
    }

    /// <summary>Time until the current period is due (zero when it is).</summary>
    internal TimeSpan UntilPeriodDue()
    {
        var left = _options.Period - _time.GetElapsedTime(_lastPeriodic);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>The flow metadata sampler (null without application counters).</summary>
    internal FlowMetadataSampler? Flows => _flows;

    /// <summary>The flow sampler, started on this period's connection records when they are to be measured in the
    /// period's level sweep (one pass over the lines for both); null when it sweeps on its own (no mailbox, records not
    /// packed, or another slab).</summary>
    private FlowMetadataSampler? FlowsAhead(TelemetrySlab slab)
    {
        if (_device is null || _flows is null || !_flows.CanSweepWith(slab))
        {
            return null;
        }

        _flows.BeginSweep();
        return _flows;
    }

    /// <summary>Ends a pass: when due, the message (filled by a periodic sweep already, else by a sweep now). The next
    /// period is due on the period grid (<see cref="NextPeriodStart"/>).</summary>
    private bool Finish(TelemetrySlab slab, bool crossed, bool periodic, long started)
    {
        PeriodDue = periodic;
        if (!crossed && !periodic)
        {
            return false;
        }

        if (periodic)
        {
            _lastPeriodic = NextPeriodStart(_lastPeriodic, started);
        }
        else
        {
            BeginFill();
            FillSweep(slab);
        }

        EndFill(crossed ? OccupancyTrigger.Threshold : OccupancyTrigger.Periodic);
        return true;
    }

    /// <summary>The message: one entry per described queue pair in line order, with the levels of the sweep just done;
    /// with more queue pairs than <see cref="TelemetryOptions.QueueEntriesMax"/>, one entry per application (scope
    /// Application: sums, highest levels, queue <see cref="QueueId.AllQueues"/>), summed in place per application.</summary>
    private void BeginFill()
    {
        _fillPerApplication = _perApplication;
        _message.Entries.Clear();
        Array.Clear(_applicationSums);
        _fillTotals = default;
    }

    /// <summary>A sweep that only fills (a threshold report between periods).</summary>
    private void FillSweep(TelemetrySlab slab)
    {
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
                if (state.Id != 0)
                {
                    Accumulate(ref lines[i], ref state, now, endsWindow: false);
                }
            }
        }
    }

    /// <summary>One described queue pair into the message: its own entry, or its application's sums. The SQ's window
    /// average is over the time since the last periodic report (a periodic report, <paramref name="endsWindow"/>, starts
    /// the next window).</summary>
    private (double Sq, double Cq) Accumulate(ref ConnectionLine line, ref LineLevels state, long now, bool endsWindow)
    {
        uint sqDepth = (uint)Math.Max(0, Volatile.Read(ref line.Submission.Depth));
        uint sqSize = (uint)Math.Max(0, Volatile.Read(ref line.Submission.QueueSize));
        uint cqDepth = (uint)Math.Max(0, Volatile.Read(ref line.Completion.Depth));
        uint cqSize = (uint)Math.Max(0, Volatile.Read(ref line.Completion.QueueSize));
        double sqAverage = state.SqAverage.Read(ref line.Submission, now, _constantsPerTick);
        double cqAverage = state.CqAverage.Read(ref line.Completion, now, _constantsPerTick);
        long sqIntegral = Nvme.Scheduler.QueueOccupancy.IntegralAt(ref line.Submission, now);
        double sqWindow = Nvme.Scheduler.QueueOccupancy.WindowAverage(state.SqIntegral, state.SqWindowStart, sqIntegral, now);
        if (endsWindow)
        {
            (state.SqIntegral, state.SqWindowStart) = (sqIntegral, now);
        }

        if (_fillPerApplication)
        {
            ref var sum = ref _applicationSums[state.ApplicationIndex];
            sum.Application = state.Application;
            sum.Queues++;
            (sum.SqDepth, sum.SqSize, sum.CqDepth, sum.CqSize) = (sum.SqDepth + sqDepth, sum.SqSize + sqSize, sum.CqDepth + cqDepth, sum.CqSize + cqSize);
            (sum.SqAverage, sum.CqAverage, sum.SqWindowAverage) = (sum.SqAverage + sqAverage, sum.CqAverage + cqAverage, sum.SqWindowAverage + sqWindow);
        }
        else
        {
            _message.Entries.Add(new QueueOccupancyEntry
            {
                Application = state.Application,
                Queue = state.Queue,
                SqDepth = sqDepth,
                SqSize = sqSize,
                SqAverage = (float)sqAverage,
                SqLevel = (WireLevel)(byte)state.Sq,
                CqDepth = cqDepth,
                CqSize = cqSize,
                CqAverage = (float)cqAverage,
                CqLevel = (WireLevel)(byte)state.Cq,
                SqWindowAverage = (float)sqWindow,
            });
        }

        _fillTotals.SqDepth += sqDepth;
        _fillTotals.SqCapacity += sqSize;
        _fillTotals.CqDepth += cqDepth;
        _fillTotals.CqCapacity += cqSize;
        return (sqAverage, cqAverage);
    }

    /// <summary>The message: one entry per described queue pair in line order, with the levels of the sweep just done;
    /// with more queue pairs than <see cref="TelemetryOptions.QueueEntriesMax"/>, one entry per application (scope
    /// Application: sums, highest levels, queue <see cref="QueueId.AllQueues"/>).</summary>
    private void EndFill(OccupancyTrigger trigger)
    {
        _message.Trigger = trigger;
        _message.TimestampUnixNanos = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        _message.Scope = _fillPerApplication ? OccupancyScope.Application : OccupancyScope.QueuePair;
        var entries = _message.Entries;
        for (int a = 0; _fillPerApplication && a < _applicationIndex.Count; a++)
        {
            ref var sum = ref _applicationSums[a];
            if (sum.Queues > 0)
            {
                entries.Add(new QueueOccupancyEntry
                {
                    Application = sum.Application,
                    Queue = QueueId.AllQueues,
                    SqDepth = (uint)Math.Min(sum.SqDepth, uint.MaxValue),
                    SqSize = (uint)Math.Min(sum.SqSize, uint.MaxValue),
                    SqAverage = (float)sum.SqAverage,
                    SqLevel = (WireLevel)(byte)Highest(a * 2 * Levels),
                    CqDepth = (uint)Math.Min(sum.CqDepth, uint.MaxValue),
                    CqSize = (uint)Math.Min(sum.CqSize, uint.MaxValue),
                    CqAverage = (float)sum.CqAverage,
                    CqLevel = (WireLevel)(byte)Highest((a * 2 * Levels) + Levels),
                    SqWindowAverage = (float)sum.SqWindowAverage,
                });
            }
        }

        _message.Totals = _fillTotals;
    }

    /// <summary>One application's queue pairs summed during a per-application fill.</summary>
    private struct ApplicationSum
    {
        public Offload.Contracts.Ids.AppId Application;
        public int Queues;
        public ulong SqDepth;
        public ulong SqSize;
        public ulong CqDepth;
        public ulong CqSize;
        public double SqAverage;
        public double CqAverage;
        public double SqWindowAverage;
    }

    private static NvmeLevel Max(NvmeLevel a, NvmeLevel b) => a >= b ? a : b;
}
