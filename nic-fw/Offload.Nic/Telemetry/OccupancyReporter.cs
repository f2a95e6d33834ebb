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
    private int _liveQueuePairs;
    private long _passes;
    private long _changedPasses;
    private readonly Dictionary<Offload.Contracts.Ids.AppId, int> _applicationIndex = [];
    private int[] _entryOfApplication = new int[16];
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

    /// <summary>Full sweeps done (<see cref="Sample"/> calls).</summary>
    public long Passes => Interlocked.Read(ref _passes);

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
        var slab = _source.Telemetry;
        bool crossed = UpdateLevels(slab);
        return Finish(slab, crossed);
    }

    /// <summary>
    /// Reads only the queues that signalled a level change since the last pass (their lines' changed bits), and any
    /// period that ended meanwhile; same result as <see cref="Sample"/>. At 10,000 connections a signal re-reads a few
    /// lines instead of 10,000: level changes arrive more than a thousand times a second there.
    /// </summary>
    public bool SampleChanged()
    {
        Interlocked.Increment(ref _changedPasses);
        var slab = _source.Telemetry;
        bool crossed = UpdateChanged(slab);
        if (_time.GetElapsedTime(_lastPeriodic) >= _options.Period)
        {
            crossed |= UpdateLevels(slab); // the period's report reads every queue
        }

        return Finish(slab, crossed);
    }

    /// <summary>True when the last due pass ended a period (and so carries flow metadata as well).</summary>
    public bool PeriodDue { get; private set; }

    private bool Finish(TelemetrySlab slab, bool crossed)
    {
        long now = _time.GetTimestamp();
        bool periodic = _time.GetElapsedTime(_lastPeriodic, now) >= _options.Period;
        PeriodDue = periodic;
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

    /// <summary>The message: one entry per described queue pair in line order, with the levels of the sweep just done;
    /// with more queue pairs than <see cref="TelemetryOptions.QueueEntriesMax"/>, one entry per application (scope
    /// Application: sums, highest levels, queue <see cref="QueueId.AllQueues"/>).</summary>
    private void Fill(TelemetrySlab slab, OccupancyTrigger trigger)
    {
        _message.Trigger = trigger;
        _message.TimestampUnixNanos = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        bool perApplication = _liveQueuePairs > _options.QueueEntriesMax;
        _message.Scope = perApplication ? OccupancyScope.Application : OccupancyScope.QueuePair;
        var entries = _message.Entries;
        entries.Clear();
        _entryOfApplication.AsSpan().Fill(-1);
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
                if (perApplication)
                {
                    AddToApplication(state.ApplicationIndex, e);
                }
                else
                {
                    entries.Add(e);
                }
            }
        }

        _message.Totals = totals;
    }

    /// <summary>Adds a queue pair's entry to its application's (created at its first queue pair of this fill).</summary>
    private void AddToApplication(int application, in QueueOccupancyEntry e)
    {
        var entries = _message.Entries;
        int at = _entryOfApplication[application];
        if (at < 0)
        {
            _entryOfApplication[application] = entries.Count;
            entries.Add(e with { Queue = QueueId.AllQueues });
            return;
        }

        ref var sum = ref System.Runtime.InteropServices.CollectionsMarshal.AsSpan(entries)[at];
        sum.SqDepth += e.SqDepth;
        sum.SqSize += e.SqSize;
        sum.SqAverage += e.SqAverage;
        sum.SqLevel = (WireLevel)Math.Max((byte)sum.SqLevel, (byte)e.SqLevel);
        sum.CqDepth += e.CqDepth;
        sum.CqSize += e.CqSize;
        sum.CqAverage += e.CqAverage;
        sum.CqLevel = (WireLevel)Math.Max((byte)sum.CqLevel, (byte)e.CqLevel);
    }

    private static NvmeLevel Max(NvmeLevel a, NvmeLevel b) => a >= b ? a : b;
}
