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
    private readonly List<QueueOccupancySnapshot> _snapshots = [];
    private List<QueueLevel> _levels = [];
    private List<QueueLevel> _previousLevels = [];
    private readonly Dictionary<QueueKey, NvmeLevel> _levelsByKey = [];
    private readonly Dictionary<QueueKey, int> _entryIndex = [];
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
        _snapshots.Clear();
        _source.CollectOccupancy(_snapshots);
        bool crossed = UpdateLevels();
        long now = _time.GetTimestamp();
        bool periodic = _time.GetElapsedTime(_lastPeriodic, now) >= _options.Period;
        if (!crossed && !periodic)
        {
            return false;
        }

        if (periodic)
        {
            _lastPeriodic = now;
        }

        Fill(crossed ? OccupancyTrigger.Threshold : OccupancyTrigger.Periodic);
        return true;
    }

    /// <summary>
    /// Compares every queue's level with the previous pass's. The previous levels are kept in the order the source
    /// listed its queues, and a source lists them in the same order pass after pass (the target walks its queue pairs),
    /// so each queue is matched by position; a queue at a new position (a connection came or went) is looked up by key
    /// in a table built only then. At 20,000 queues this replaced two hash lookups per queue per pass.
    /// </summary>
    private bool UpdateLevels()
    {
        bool crossed = false;
        var snapshots = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_snapshots);
        var previous = _previousLevels;
        Dictionary<QueueKey, NvmeLevel>? byKey = null;
        for (int i = 0; i < snapshots.Length; i++)
        {
            ref readonly var s = ref snapshots[i];
            var key = new QueueKey(s.Controller, s.QueueId, s.IsCompletionQueue);
            var level = Max(s.Level, _thresholds.Classify(s.Depth, s.QueueSize));
            NvmeLevel old;
            bool known;
            if (i < previous.Count && previous[i].Key == key)
            {
                (old, known) = (previous[i].Level, true);
            }
            else
            {
                byKey ??= ByKey(previous, i);
                known = byKey.TryGetValue(key, out old);
            }

            crossed |= known ? old != level : level != NvmeLevel.Low;
            _levels.Add(new QueueLevel(key, level));
        }

        // The levels of this pass become the previous ones (two lists swapped, no allocation).
        previous.Clear();
        (_previousLevels, _levels) = (_levels, previous);
        return crossed;
    }

    /// <summary>The previous levels by key, once a queue is not where it was (only the entries from
    /// <paramref name="from"/> on can still match: earlier positions matched their own queue).</summary>
    private Dictionary<QueueKey, NvmeLevel> ByKey(List<QueueLevel> previous, int from)
    {
        var byKey = _levelsByKey;
        byKey.Clear();
        for (int i = from; i < previous.Count; i++)
        {
            byKey[previous[i].Key] = previous[i].Level;
        }

        return byKey;
    }

    private void Fill(OccupancyTrigger trigger)
    {
        _message.Trigger = trigger;
        _message.TimestampUnixNanos = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var entries = _message.Entries;
        entries.Clear();
        _entryIndex.Clear();
        var totals = default(NodeTotals);
        var snapshots = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_snapshots);
        var levels = _previousLevels; // this pass's, in snapshot order (UpdateLevels ran first)
        NvmeAppId lastApp = default;
        Offload.Contracts.Ids.AppId lastId = default;
        QueueKey lastPair = default;
        for (int i = 0; i < snapshots.Length; i++)
        {
            ref readonly var s = ref snapshots[i];
            var pairKey = new QueueKey(s.Controller, s.QueueId, false);
            int index;
            if (i > 0 && lastPair == pairKey)
            {
                index = entries.Count - 1; // the other queue of the pair just listed (the target lists SQ then CQ)
            }
            else if (!_entryIndex.TryGetValue(pairKey, out index))
            {
                index = entries.Count;
                _entryIndex.Add(pairKey, index);
                if (i == 0 || s.App != lastApp)
                {
                    (lastApp, lastId) = (s.App, _apps.GetOrAdd(s.App)); // one lookup per run of one application's queues
                }

                entries.Add(new QueueOccupancyEntry { Application = lastId, Queue = new QueueId(s.QueueId) });
            }

            lastPair = pairKey;
            var level = (WireLevel)(byte)levels[i].Level;
            var e = entries[index];
            if (s.IsCompletionQueue)
            {
                e.CqDepth = (uint)Math.Max(0, s.Depth);
                e.CqSize = (uint)Math.Max(0, s.QueueSize);
                e.CqAverage = (float)s.AverageDepth;
                e.CqLevel = level;
                totals.CqDepth += e.CqDepth;
                totals.CqCapacity += e.CqSize;
            }
            else
            {
                e.SqDepth = (uint)Math.Max(0, s.Depth);
                e.SqSize = (uint)Math.Max(0, s.QueueSize);
                e.SqAverage = (float)s.AverageDepth;
                e.SqLevel = level;
                totals.SqDepth += e.SqDepth;
                totals.SqCapacity += e.SqSize;
            }

            entries[index] = e;
        }

        _message.Totals = totals;
    }

    private static NvmeLevel Max(NvmeLevel a, NvmeLevel b) => a >= b ? a : b;

    private readonly record struct QueueKey(ControllerId Controller, ushort QueueId, bool IsCompletionQueue);

    private readonly record struct QueueLevel(QueueKey Key, NvmeLevel Level);
}
