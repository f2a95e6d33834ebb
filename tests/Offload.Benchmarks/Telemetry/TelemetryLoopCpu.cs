using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Telemetry;
using QueueOccupancy = Offload.Nic.Nvme.Scheduler.QueueOccupancy;

namespace Offload.Benchmarks.Telemetry;

/// <summary>
/// The whole telemetry of nic-fw at N connections, as it runs: the real reporter thread (occupancy sweeps paced by its
/// budget, threshold reports on level-change signals, and every 10 ms period the flow metadata of every connection
/// plus the occupancy report), writing real frames to a mailbox session over a loopback TCP socket (or, with --shm, the
/// shared-memory ring) that a host-side client drains. Simulated I/O on another thread counts a read on every connection and moves its SQ depth every
/// period (so levels cross and signal). Measured: the CPU time of the reporter thread alone (its task's schedstat run
/// time in nanoseconds, so the send syscalls count too; split into user and kernel by the utime:stime ticks of its
/// stat), as a share of one core. Same-run baseline: the same at 1,000
/// connections.
/// </summary>
public static class TelemetryLoopCpu
{
    private static readonly AppId App = new("nqn.2014-08.org.nvmexpress:uuid:loop", Guid.Parse("00000000-0000-0000-0000-0000000000ee"));

    /// <param name="simulatedIo">false: no simulated I/O thread (every connection idle: the lines are not written by
    /// another core between periods), to tell the telemetry's own cost from the cache traffic I/O on other cores causes.</param>
    /// <param name="sharedMemory">true: the mailbox runs over the shared-memory ring (shm://) instead of loopback TCP.</param>
    /// <param name="thresholdBudget">Telemetry:ThresholdReportCpuBudget (null: the default); 1 lifts it (the same-run
    /// baseline for the budget).</param>
    /// <param name="ioWithinLow">Simulated I/O keeps every queue at Low (depths 1-8): no level-change signals.</param>
    /// <param name="latencyWindows">Telemetry:ConnectionLatencyWindowsPerPeriod (null: the default).</param>
    /// <param name="baseline">false (<c>--no-baseline</c>): only <paramref name="connections"/>, no 1,000-connection round
    /// (for a profiler attached to the process).</param>
    /// <param name="parts">The reporter's per-line work (<see cref="SweepParts"/>; <c>--sweep</c>): parts left out, to
    /// tell what each costs.</param>
    /// <param name="signalCoalescing">Telemetry:SignalCoalescing (null: the default); 0 answers every signal (the
    /// same-run baseline for the coalescing).</param>
    public static void Run(int connections, TimeSpan duration, TextWriter output, bool simulatedIo = true, bool sharedMemory = false, double? thresholdBudget = null, bool ioWithinLow = false, TimeSpan? signalCoalescing = null, bool baseline = true, int? latencyWindows = null, SweepParts parts = SweepParts.All)
    {
        output.WriteLine($"telemetry reporter thread (flows + occupancy + mailbox frames over {(sharedMemory ? "the shared-memory ring" : "loopback TCP")}), {duration.TotalSeconds:F0} s per run"
            + (simulatedIo ? ioWithinLow ? ", simulated I/O within Low (no level changes)" : "" : ", no simulated I/O")
            + (signalCoalescing is { } c ? $", signal coalescing {c.TotalMilliseconds} ms" : "")
            + (latencyWindows is { } w ? $", {w} connection latency windows per period" : "")
            + (parts != SweepParts.All ? $", sweep parts {parts}" : ""));
        for (int round = 1; round <= 3; round++)
        {
            foreach (int n in baseline ? new[] { 1_000, connections } : new[] { connections })
            {
                var r = MeasureAsync(n, duration, simulatedIo, sharedMemory, thresholdBudget, ioWithinLow, signalCoalescing, latencyWindows, parts).GetAwaiter().GetResult();
                output.WriteLine($"  round {round}, {n,6} connections: {r.Core:P1} of a core ({r.User:P1} user, {r.Core - r.User:P1} kernel); {r.Periodic / duration.TotalSeconds:F0} periodic + "
                    + $"{r.Threshold / duration.TotalSeconds:F0} threshold reports/s, {r.Passes / duration.TotalSeconds:F0} sweeps/s, {r.ChangedPasses / duration.TotalSeconds:F0} signalled passes/s, "
                    + $"{r.Bytes / duration.TotalSeconds / 1e6:F1} MB/s to the host, {r.Records / duration.TotalSeconds / 1e6:F2} M flow records/s");
            }
        }
    }

    private static async Task<(double Core, double User, long Periodic, long Threshold, long Passes, long ChangedPasses, long Bytes, long Records)> MeasureAsync(int connections, TimeSpan duration, bool simulatedIo, bool sharedMemory, double? thresholdBudget, bool ioWithinLow, TimeSpan? signalCoalescing, int? latencyWindows, SweepParts parts)
    {
        var source = new Source(connections) { WithinLow = ioWithinLow };
        MailboxEndpoint endpoint;
        string? directory = null;
        if (sharedMemory)
        {
            directory = Mailbox.ScratchDirectory.CreateOnTmpfs();
            endpoint = MailboxEndpoint.SharedMemory(Path.Combine(directory, "mbx.sock"));
        }
        else
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            endpoint = MailboxEndpoint.Tcp("127.0.0.1", ((IPEndPoint)probe.LocalEndpoint).Port);
            probe.Stop();
        }

        var options = new MailboxOptions { HeartbeatPeriod = TimeSpan.FromSeconds(1), HandshakeTimeout = TimeSpan.FromSeconds(5) };
        var device = new MailboxDevice(MailboxTransport.Create(endpoint, options), options, new MailboxIdentity("bf3-bench", "1.0.0", ["mailbox-v1"]), new Sink(), NullLogger.Instance);
        var received = new Sink();
        var client = new MailboxClient(MailboxTransport.Create(endpoint, options), options, new MailboxIdentity("host-bench", "1.0.0", ["controller-v1"]), received, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var deviceRun = device.RunAsync(stop.Token);
        await device.Listening;
        var clientRun = client.RunAsync(stop.Token);
        while (device.Sessions.Count == 0 || client.Session is not { Peer: not null })
        {
            await Task.Delay(10);
        }

        using var reporter = new OccupancyReporter(source, new AppDirectory(), device, TimeProvider.System, Options.Create(Configure(thresholdBudget, signalCoalescing, latencyWindows)), source) { Parts = parts };
        var activity = new Thread(() => source.RunActivity(stop.Token)) { IsBackground = true, Name = "simulated-io" };
        if (simulatedIo)
        {
            activity.Start();
        }
        await reporter.StartAsync(CancellationToken.None);
        await Task.Delay(1000); // warm up: tiering, first descriptions
        int tid = ReporterTask();
        var cpuBefore = TaskCpuTicks(tid);
        long runBefore = TaskRunNanoseconds(tid);
        long periodic = reporter.PeriodicSent, threshold = reporter.ThresholdSent, passes = reporter.Sweeps, changedPasses = reporter.ChangedPasses;
        long bytes = received.Bytes, records = received.Records;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(duration);
        var cpuAfter = TaskCpuTicks(tid);
        long runAfter = TaskRunNanoseconds(tid);
        var wall = clock.Elapsed;
        double Share(long ticks) => ticks / ClockTicksPerSecond / wall.TotalSeconds;
        double userShare = cpuAfter.User + cpuAfter.System > cpuBefore.User + cpuBefore.System
            ? (double)(cpuAfter.User - cpuBefore.User) / (cpuAfter.User + cpuAfter.System - cpuBefore.User - cpuBefore.System) : 1;
        double core = runAfter >= 0 && runBefore >= 0
            ? (runAfter - runBefore) / wall.TotalNanoseconds
            : Share(cpuAfter.User + cpuAfter.System - cpuBefore.User - cpuBefore.System);
        var result = (core, core * userShare, reporter.PeriodicSent - periodic, reporter.ThresholdSent - threshold,
            reporter.Sweeps - passes, reporter.ChangedPasses - changedPasses, received.Bytes - bytes, received.Records - records);
        await reporter.StopAsync(CancellationToken.None);
        await stop.CancelAsync();
        if (simulatedIo)
        {
            activity.Join();
        }
        await Task.WhenAll(deviceRun, clientRun).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default);
        if (directory is not null)
        {
            Directory.Delete(directory, recursive: true);
        }

        return result;
    }

    private static TelemetryOptions Configure(double? thresholdBudget, TimeSpan? signalCoalescing, int? latencyWindows)
    {
        var options = new TelemetryOptions();
        if (latencyWindows is { } windows)
        {
            options.ConnectionLatencyWindowsPerPeriod = windows;
        }

        if (thresholdBudget is { } budget)
        {
            options.ThresholdReportCpuBudget = budget;
        }

        if (signalCoalescing is { } coalescing)
        {
            options.SignalCoalescing = coalescing;
        }

        return options;
    }

    /// <summary>USER_HZ of /proc's utime and stime (100 on Linux).</summary>
    private const double ClockTicksPerSecond = 100;

    private static int ReporterTask()
    {
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == "occupancy-repor")
            {
                return int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("The occupancy-reporter thread was not found in /proc/self/task.");
    }

    /// <summary>utime and stime of one task (fields 14 and 15 of its stat, counted after the parenthesised name): user
    /// mode is the telemetry itself (sweeps, encoding, CRC); kernel mode is mostly the loopback socket sends, which a
    /// PCIe-mapped mailbox on the NIC does not make.</summary>
    /// <summary>The thread's time on a CPU in nanoseconds (/proc/self/task/TID/schedstat, first field: the scheduler's
    /// own accounting, not sampled at the 10 ms tick as stat's utime and stime are, which made a 3 s round of a 5% thread
    /// move in steps of 0.33% of a core); -1 when the kernel has no schedstat.</summary>
    internal static long TaskRunNanoseconds(int tid)
    {
        string path = $"/proc/self/task/{tid}/schedstat";
        if (!File.Exists(path))
        {
            return -1;
        }

        return long.Parse(File.ReadAllText(path).Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (long User, long System) TaskCpuTicks(int tid)
    {
        var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture), long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Counts what arrives (the host side) or ignores it (the NIC side).</summary>
    private sealed class Sink : IMailboxHandler
    {
        private long _bytes;
        private long _records;

        public long Bytes => Interlocked.Read(ref _bytes);

        public long Records => Interlocked.Read(ref _records);

        public void OnMessage(MailboxSession session, in MessageHeader header, in ReadOnlySequence<byte> payload)
        {
            Interlocked.Add(ref _bytes, payload.Length);
            if (header.Type == MessageType.FlowMetadataBatch)
            {
                Interlocked.Add(ref _records, payload.Length / PackedFlowRecord.Size); // packed connection records dominate
            }
        }
    }

    /// <summary>N connections of one application on a slab with their SQ and CQ, and the application's counters.</summary>
    private sealed class Source : IConnectionCounterSource, IApplicationCounterSource, IOccupancySignalSource
    {
        private readonly ConnectionCounters[] _connections;
        private readonly QueueOccupancy[] _submission;
        private readonly QueueOccupancy[] _completion;
        private long _reads;

        public Source(int connections)
        {
            Telemetry = new TelemetrySlab(TimeProvider.System);
            _connections = new ConnectionCounters[connections];
            _submission = new QueueOccupancy[connections];
            _completion = new QueueOccupancy[connections];
            for (int i = 0; i < connections; i++)
            {
                var c = _connections[i] = new ConnectionCounters(Telemetry);
                c.SetEndpoints(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 4420), new IPEndPoint(IPAddress.Parse("10.0.1.2"), 20000 + i));
                _submission[i] = new QueueOccupancy(TimeProvider.System, c.Cell, completion: false, 128);
                _completion[i] = new QueueOccupancy(TimeProvider.System, c.Cell, completion: true, 128);
                c.Describe(App, new ControllerId((ushort)(1 + (i / 128))), (ushort)(1 + (i % 128)));
            }
        }

        public TelemetrySlab Telemetry { get; }

        public void AttachSignal(OccupancySignal signal)
        {
            foreach (var q in _submission.Concat(_completion))
            {
                q.Signal = signal;
            }
        }

        /// <summary>Depths 1-8 of 128 instead of 1-40: every queue stays Low, so no level changes and no signals (the
        /// period's sweep over lines written from another core, without the threshold path).</summary>
        public bool WithinLow { get; init; }

        /// <summary>Every 10 ms: one read and a latency on each connection, and its SQ depth moved (1-40 of 128).</summary>
        public void RunActivity(CancellationToken stop)
        {
            int depths = WithinLow ? 8 : 40;
            for (int step = 0; !stop.IsCancellationRequested; step++)
            {
                for (int i = 0; i < _connections.Length; i++)
                {
                    _connections[i].CountRead(4096);
                    _connections[i].Latency.Record(20_000 + (i % 1000));
                    _submission[i].Set(1 + ((i + step) % depths));
                }

                Interlocked.Add(ref _reads, _connections.Length);
                stop.WaitHandle.WaitOne(10);
            }
        }

        public void CollectApplicationCounters(ICollection<ApplicationCounters> destination)
        {
            long reads = Interlocked.Read(ref _reads);
            destination.Add(new ApplicationCounters(App, new ControllerId(1), reads, 0, reads * 4096, 0));
        }
    }
}
