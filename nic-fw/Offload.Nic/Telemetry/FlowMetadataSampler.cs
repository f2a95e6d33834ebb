using Offload.Contracts.Messages;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Telemetry;

/// <summary>
/// Turns the target's cumulative per-controller counters into one <see cref="FlowRecord"/> per application each
/// period: read and write requests/s over the window and as an EWMA, read:write ratio, and the received bit rate
/// (capsules plus write data) the controller derives the write size from, CPU ns/s in the application's request state
/// machines, accepted PDUs/s, and p50/p99/p999 of the commands completed in the window (each controller's latency
/// histogram minus its previous snapshot). These application records (kind 0, FlowId = application id) are
/// followed by one record per live I/O connection (kind 1, 5-tuple; see FlowMetadataSampler.Connections.cs) when a
/// connection source is given. A controller that went away contributes nothing
/// (its delta is never negative). Each application is named (host NQN, host ID) in the first batch that carries
/// it and again every <see cref="NameEvery"/> batches, so a host that connects later learns every name within a
/// second. Reuses its tables and the message; single-threaded (the reporter loop).
/// </summary>
internal sealed partial class FlowMetadataSampler(IApplicationCounterSource source, AppDirectory apps, TimeProvider time, long memorySize = 0,
    IConnectionCounterSource? connections = null)
{
    private readonly IConnectionCounterSource? _connections = connections;
    private AppDirectory Apps => apps;

    /// <summary>NVMe/TCP command capsule on the wire: 8-byte PDU header + 64-byte SQE.</summary>
    private const double CapsuleSize = 72;

    /// <summary>EWMA weight of the newest window.</summary>
    private const double Alpha = 0.3;

    private readonly List<ApplicationCounters> _counters = [];
    private readonly Dictionary<ControllerKey, ApplicationCounters> _previous = [];
    private readonly Dictionary<AppId, int> _index = [];
    private readonly List<AppId> _flowApps = [];
    private readonly Dictionary<AppId, Ewma> _ewma = [];
    private readonly Dictionary<ControllerKey, long[]> _previousLatency = [];
    private readonly List<long[]> _windows = [];
    private readonly long[] _snapshot = new long[LatencyHistogram.BucketCount];
    /// <summary>Batches between full name lists (100 at the default 10 ms period: once a second).</summary>
    internal const int NameEvery = 100;

    private readonly HashSet<AppId> _named = [];
    private readonly FlowMetadataBatch _message = new();
    private int _sinceNames;
    private TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;
    private long _lastThreadCpu = -1;
    private int _lastThread;
    private long _lastSample = time.GetTimestamp();

    public FlowMetadataBatch Message => _message;

    /// <summary>Fills <see cref="Message"/> with the rates since the previous call; totals are copied from the
    /// occupancy report of the same period.</summary>
    public FlowMetadataBatch Sample(in NodeTotals totals)
    {
        if (!_sweptAhead)
        {
            StartPeriod();
        }

        double seconds = _seconds;
        _counters.Clear();
        source.CollectApplicationCounters(_counters);
        var flows = _message.Flows;
        flows.Clear();
        _index.Clear();
        _flowApps.Clear();
        foreach (var c in _counters)
        {
            var key = new ControllerKey(c.App, c.Controller);
            var before = _previous.TryGetValue(key, out var p) ? p : new ApplicationCounters(c.App, c.Controller, 0, 0, 0, 0);
            _previous[key] = c;
            if (!_index.TryGetValue(c.App, out int i))
            {
                i = flows.Count;
                _index.Add(c.App, i);
                _flowApps.Add(c.App);
                var id = apps.GetOrAdd(c.App);
                flows.Add(new FlowRecord { FlowId = id.Value, Application = id });
                if (_windows.Count <= i)
                {
                    _windows.Add(new long[LatencyHistogram.BucketCount]);
                }
                else
                {
                    Array.Clear(_windows[i]);
                }
            }

            AddLatencyWindow(key, c.Latency, _windows[i]);

            var f = flows[i];
            f.ReadRateWindow += (float)(Math.Max(0, c.ReadCommands - before.ReadCommands) / seconds);
            f.WriteRateWindow += (float)(Math.Max(0, c.WriteCommands - before.WriteCommands) / seconds);
            f.BitRate += (float)(Math.Max(0, c.BytesWritten - before.BytesWritten) * 8 / seconds);
            f.ReadBytesRate += (float)(Math.Max(0, c.BytesRead - before.BytesRead) / seconds);
            f.WriteBytesRate += (float)(Math.Max(0, c.BytesWritten - before.BytesWritten) / seconds);
            f.SharedMemorySize += (ulong)Math.Max(0, c.BytesWritten);
            f.CpuNanosPerSecond += (ulong)(Math.Max(0, c.CpuNanoseconds - before.CpuNanoseconds) / seconds);
            f.PacketRate += (float)(Math.Max(0, c.Pdus - before.Pdus) / seconds);
            flows[i] = f;
        }

        for (int i = 0; i < flows.Count; i++)
        {
            var f = flows[i];
            var app = _flowApps[i];
            var e = _ewma.TryGetValue(app, out var old) ? old : new Ewma(f.ReadRateWindow, f.WriteRateWindow);
            e = new Ewma(Smooth(e.Read, f.ReadRateWindow), Smooth(e.Write, f.WriteRateWindow));
            _ewma[app] = e;
            f.ReadRate = (float)e.Read;
            f.WriteRate = (float)e.Write;
            float requests = f.ReadRateWindow + f.WriteRateWindow;
            f.ReadWriteRatio = requests > 0 ? f.ReadRateWindow / requests : 1f;
            f.BitRate += (float)(requests * CapsuleSize * 8);
            f.LatencyP50Nanos = Saturate(LatencyHistogram.Percentile(_windows[i], 0.50));
            f.LatencyP99Nanos = Saturate(LatencyHistogram.Percentile(_windows[i], 0.99));
            f.LatencyP999Nanos = Saturate(LatencyHistogram.Percentile(_windows[i], 0.999));
            flows[i] = f;
        }

        if (_previous.Count > _counters.Count)
        {
            PruneGone();
        }

        AddNames();
        AddConnections();
        _sweptAhead = false;
        _message.TimestampUnixNanos = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        _message.PeriodNanos = (long)(seconds * 1e9);
        _message.Totals = WithNodeUsage(totals, seconds);
        return _message;
    }

    /// <summary>Node totals the occupancy report cannot know: nic-fw's own CPU and its telemetry thread's (ns/s over the
    /// window), and the shared memory's size and use (bytes written by all applications, capped at the size).</summary>
    private NodeTotals WithNodeUsage(NodeTotals totals, double seconds)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        totals.CpuNanosPerSecond = (ulong)Math.Max(0, (cpu - _lastCpu).Ticks * 100 / seconds);
        _lastCpu = cpu;

        // The sampling thread's own CPU over the window (the reporter thread: sweep, records, frames, the writes to
        // the mailbox). Only between two samples on the same thread; 0 for the first, or where the clock is missing.
        long threadCpu = ThreadCpuClock.Nanoseconds();
        int thread = Environment.CurrentManagedThreadId;
        totals.TelemetryCpuNanosPerSecond = threadCpu >= 0 && _lastThreadCpu >= 0 && thread == _lastThread
            ? (ulong)Math.Max(0, (threadCpu - _lastThreadCpu) / seconds)
            : 0;
        (_lastThreadCpu, _lastThread) = (threadCpu, thread);
        ulong used = 0;
        foreach (var f in _message.Flows)
        {
            if (f.Kind == FlowRecordKind.Application)
            {
                used += f.SharedMemorySize;
            }
        }

        totals.MemorySize = (ulong)Math.Max(0, memorySize);
        totals.MemoryUsedSize = memorySize > 0 ? Math.Min(used, (ulong)memorySize) : used;
        return totals;
    }

    /// <summary>Adds the controller's completions since the previous sample to an application's window.</summary>
    private void AddLatencyWindow(ControllerKey key, LatencyHistogram? latency, long[] window)
    {
        if (latency is null)
        {
            return;
        }

        latency.Snapshot(_snapshot);
        if (!_previousLatency.TryGetValue(key, out var before))
        {
            // First sight of this controller: one table for its life (not per sample).
            before = new long[LatencyHistogram.BucketCount];
            _previousLatency.Add(key, before);
        }

        for (int b = 0; b < window.Length; b++)
        {
            window[b] += Math.Max(0, _snapshot[b] - before[b]);
        }

        _snapshot.CopyTo(before, 0);
    }

    /// <summary>The EWMA <paramref name="ewma"/> after a window of <paramref name="rate"/>, snapped to the rate once
    /// within 1e-6/s of it: an idle flow's EWMA would otherwise decay into subnormal doubles and stay there (a step
    /// under half the least subnormal rounds to no change), and each subnormal operation costs a microcode assist --
    /// a sweep over 10,000 long-idle connections ran several times slower.</summary>
    internal static double Smooth(double ewma, double rate)
    {
        double next = ewma + (Alpha * (rate - ewma));
        return Math.Abs(rate - next) < 1e-6 ? rate : next;
    }

    private static uint Saturate(long nanoseconds) => (uint)Math.Clamp(nanoseconds, 0, uint.MaxValue);

    private void AddNames()
    {
        var names = _message.Applications;
        names.Clear();
        bool all = ++_sinceNames >= NameEvery;
        if (all)
        {
            _sinceNames = 0;
        }

        for (int i = 0; i < _flowApps.Count; i++)
        {
            var app = _flowApps[i];
            if (_named.Add(app) || all)
            {
                names.Add(new ApplicationName { Application = _message.Flows[i].Application, HostNqn = app.HostNqn, HostId = app.HostId });
            }
        }
    }

    private void PruneGone()
    {
        foreach (var pair in _previous)
        {
            bool live = false;
            foreach (var c in _counters)
            {
                if (c.App == pair.Key.App && c.Controller == pair.Key.Controller)
                {
                    live = true;
                    break;
                }
            }

            if (!live)
            {
                _previous.Remove(pair.Key);
                _previousLatency.Remove(pair.Key);
            }
        }
    }

    private readonly record struct ControllerKey(AppId App, ControllerId Controller);

    private readonly record struct Ewma(double Read, double Write);
}
