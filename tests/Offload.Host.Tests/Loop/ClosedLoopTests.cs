using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Offload.Contracts.Messages;
using Offload.Contracts.Threading;
using Offload.Host.Loop;
using Offload.Nic.Enforcement;
using Offload.Nic.Mailbox;
using Offload.Nic.Nvme.Scheduler;
using OccupancyLevel = Offload.Contracts.Messages.OccupancyLevel;
using QueueOccupancy = Offload.Contracts.Messages.QueueOccupancy;
using Offload.Nic.Telemetry;
using Xunit.Abstractions;
using NvmeAppId = Offload.Nic.Nvme.Subsystem.AppId;

namespace Offload.Host.Tests.Loop;

/// <summary>
/// The whole loop in one process over a real TCP mailbox: nic-fw's OccupancyReporter and RateEnforcer on a
/// MailboxDevice, offloadd's NicControlLoop (the real VS controller policy) on a MailboxClient.
/// </summary>
public sealed class ClosedLoopTests(ITestOutputHelper output)
{
    private static readonly NvmeAppId Tenant = new("nqn.2014-08.org.nvmexpress:uuid:loop", Guid.Parse("00000000-0000-0000-0000-0000000000aa"));

    [Fact]
    public async Task QueueCrossesHigh_OverSocketMailbox_NewRateAppliedOnNicAndAcked()
    {
        await using var loop = await RunningLoop.StartAsync(TimeSpan.FromSeconds(30));
        long appliedBefore = loop.Enforcer.Applied;

        loop.Source.SqDepth = 120;
        await LoopFixture.WaitUntilAsync(() => loop.Enforcer.Applied > appliedBefore);
        await LoopFixture.WaitUntilAsync(() => loop.Control.LastAckedEpoch == loop.Control.LastSentEpoch && loop.Control.Acks > 0);

        var occupancy = loop.Captured.Messages.OfType<QueueOccupancy>().ToList();
        var threshold = Assert.Single(occupancy, m => m.Trigger == OccupancyTrigger.Threshold);
        Assert.Equal(OccupancyLevel.High, threshold.Entries[0].SqLevel);
        Assert.True(loop.Limiter.Sets > 0);
        Assert.True(loop.Limiter.LastIops > 0);
        var decisions = loop.Control.Explain(threshold.Entries[0].Application, 10);
        Assert.NotEmpty(decisions);
    }

    private const int WarmUpCrossings = 20;

    [Fact]
    public async Task ControlLoopLatency_200HighCrossings_PrintsP50AndP99()
    {
        // scripts/perf-loop.sh raises the count (OFFLOAD_LOOP_CROSSINGS) for a p99.9; CI keeps 200.
        int crossings = int.TryParse(Environment.GetEnvironmentVariable("OFFLOAD_LOOP_CROSSINGS"), out int n) && n >= 10 ? n : 200;
        // scripts/perf-loop.sh --priority Normal|High|RealTime sets OFFLOAD_LOOP_PRIORITY for a same-build A/B.
        var priority = Enum.TryParse<ControlThreadPriority>(Environment.GetEnvironmentVariable("OFFLOAD_LOOP_PRIORITY"), true, out var p)
            ? p : ControlThreadPriority.RealTime;
        await using var loop = await RunningLoop.StartAsync(TimeSpan.FromSeconds(30), priority);

        // Warm-up, not counted: the first crossings JIT-compile the whole path (the very first took 30-40 ms).
        double cold = 0;
        for (int i = 0; i < WarmUpCrossings; i++)
        {
            long warm = loop.Enforcer.Applied;
            long started = Stopwatch.GetTimestamp();
            loop.Source.SqDepth = 120;
            await LoopFixture.WaitUntilAsync(() => loop.Enforcer.Applied > warm);
            cold = i == 0 ? Stopwatch.GetElapsedTime(started, loop.Limiter.LastSetTimestamp).TotalMilliseconds : cold;
            warm = loop.Enforcer.Applied;
            loop.Source.SqDepth = 0;
            await LoopFixture.WaitUntilAsync(() => loop.Enforcer.Applied > warm);
        }

        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        var pauses = GC.GetTotalPauseDuration();
        var latencies = new double[crossings];
        var upstream = new double[crossings];
        var trace = new (double Observed, double Sent, double HostRead, double HostDone, double NicRead, double Applied)[crossings];
        for (int i = 0; i < crossings; i++)
        {
            long applied = loop.Enforcer.Applied;
            long start = Stopwatch.GetTimestamp();
            loop.Source.SqDepth = 120;
            await LoopFixture.WaitUntilAsync(() => loop.Enforcer.Applied > applied);
            latencies[i] = Stopwatch.GetElapsedTime(start, loop.Limiter.LastSetTimestamp).TotalMilliseconds;
            upstream[i] = Stopwatch.GetElapsedTime(start, loop.Captured.LastThresholdTimestamp).TotalMilliseconds;
            trace[i] = (Stopwatch.GetElapsedTime(start, loop.Reporter.LastCrossingObserved).TotalMilliseconds,
                Stopwatch.GetElapsedTime(start, loop.Reporter.LastCrossingSent).TotalMilliseconds,
                upstream[i], Stopwatch.GetElapsedTime(start, loop.HostDone.Last).TotalMilliseconds,
                Stopwatch.GetElapsedTime(start, loop.NicRead.Last).TotalMilliseconds, latencies[i]);

            applied = loop.Enforcer.Applied;
            loop.Source.SqDepth = 0;
            await LoopFixture.WaitUntilAsync(() => loop.Enforcer.Applied > applied);
        }

        gen0 = GC.CollectionCount(0) - gen0;
        gen1 = GC.CollectionCount(1) - gen1;
        gen2 = GC.CollectionCount(2) - gen2;
        pauses = GC.GetTotalPauseDuration() - pauses;
        if (Environment.GetEnvironmentVariable("OFFLOAD_LOOP_TRACE") == "1")
        {
            foreach (var t in trace.Where(t => t.Applied > 1.0))
            {
                Console.WriteLine($"LOOP-TRACE observed={t.Observed:F3} sent={t.Sent:F3} hostRead={t.HostRead:F3} hostEvaluatedAndSent={t.HostDone:F3} nicRead={t.NicRead:F3} applied={t.Applied:F3}");
            }
        }

        var downstream = new double[crossings];
        var observed = new double[crossings];
        for (int i = 0; i < crossings; i++)
        {
            downstream[i] = latencies[i] - upstream[i];
            observed[i] = trace[i].Observed;
        }

        Array.Sort(observed);

        Array.Sort(latencies);
        Array.Sort(upstream);
        Array.Sort(downstream);
        double p50 = latencies[crossings / 2];
        double p99 = latencies[(int)Math.Ceiling(crossings * 0.99) - 1];
        double p999 = latencies[(int)Math.Ceiling(crossings * 0.999) - 1];
        output.WriteLine($"control-loop latency over {crossings} high crossings (socket mailbox, signalled crossings): p50 {p50:F3} ms, p99 {p99:F3} ms, max {latencies[^1]:F3} ms");
        Console.WriteLine($"LOOP-LATENCY p50={p50:F3}ms p99={p99:F3}ms p999={p999:F3}ms max={latencies[^1]:F3}ms n={crossings}");
        Console.WriteLine($"LOOP-LATENCY crossing->host received Threshold report: p50={upstream[crossings / 2]:F3}ms p99={upstream[(int)Math.Ceiling(crossings * 0.99) - 1]:F3}ms; host received->rate applied on NIC: p50={downstream[crossings / 2]:F3}ms p99={downstream[(int)Math.Ceiling(crossings * 0.99) - 1]:F3}ms");
        Console.WriteLine($"LOOP-LATENCY crossing->reporter observed it: p50={observed[crossings / 2]:F3}ms p99={observed[(int)Math.Ceiling(crossings * 0.99) - 1]:F3}ms max={observed[^1]:F3}ms");
        Console.WriteLine($"LOOP-LATENCY threads: requested {priority}, reporter {loop.Reporter.ThreadPriority}; first (cold) crossing {cold:F3}ms, then {WarmUpCrossings - 1} more warm-up crossings not counted; GCs during the run gen0={gen0} gen1={gen1} gen2={gen2} paused={pauses.TotalMilliseconds:F1}ms; signalled passes delayed by the threshold reports' CPU budget: {loop.Reporter.ThresholdDelays}");
        Assert.All(latencies, l => Assert.True(l > 0));
        Assert.Equal(2L * (crossings + WarmUpCrossings), loop.Enforcer.Applied);
    }

    private sealed class RunningLoop : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _runs = [];

        private RunningLoop(FakeOccupancySource source, RecordingRateLimiter limiter, RateEnforcer enforcer, OccupancyReporter reporter, NicControlLoop control, CapturingHandler captured)
        {
            HostDone = new Stamp(MessageType.QueueOccupancy);
            NicRead = new Stamp(MessageType.RateUpdate);
            Source = source;
            Limiter = limiter;
            Enforcer = enforcer;
            Reporter = reporter;
            Control = control;
            Captured = captured;
        }

        public FakeOccupancySource Source { get; }

        public RecordingRateLimiter Limiter { get; }

        public RateEnforcer Enforcer { get; }

        public OccupancyReporter Reporter { get; }

        public NicControlLoop Control { get; }

        public CapturingHandler Captured { get; }

        /// <summary>offloadd has evaluated a QueueOccupancy and handed its updates to the socket.</summary>
        public Stamp HostDone { get; private set; }

        /// <summary>nic-fw's receive thread has a RateUpdate (before the enforcer applies it).</summary>
        public Stamp NicRead { get; private set; }

        public static async Task<RunningLoop> StartAsync(TimeSpan period, ControlThreadPriority priority = ControlThreadPriority.RealTime)
        {
            var source = new FakeOccupancySource(Tenant);
            var apps = new AppDirectory();
            var limiter = new RecordingRateLimiter(new TokenBucketRateLimiter(TimeProvider.System));
            var enforcer = new RateEnforcer(limiter, apps, NullLogger<RateEnforcer>.Instance);
            var endpoint = LoopFixture.NewTcpEndpoint();
            var nicRead = new Stamp(MessageType.RateUpdate);
            var hostDone = new Stamp(MessageType.QueueOccupancy);
            var device = LoopFixture.Device(endpoint, new NicMailboxHandler([nicRead, enforcer]), priority);
            var reporter = new OccupancyReporter(source, apps, device, TimeProvider.System,
                Options.Create(new TelemetryOptions { Period = period, ReporterThreadPriority = priority }));
            var control = new NicControlLoop(endpoint.ToString(), new ControlLoopOptions { RequireFlowMetadata = false }, TimeProvider.System, NullLogger.Instance);
            var captured = new CapturingHandler();
            var client = LoopFixture.Client(endpoint, new MailboxHandlerChain(captured, control, hostDone), priority);
            var loop = new RunningLoop(source, limiter, enforcer, reporter, control, captured) { HostDone = hostDone, NicRead = nicRead };
            loop._runs.Add(device.RunAsync(loop._stop.Token));
            await device.Listening;
            loop._runs.Add(client.RunAsync(loop._stop.Token));
            await LoopFixture.WaitForSessionAsync(client);
            await LoopFixture.WaitUntilAsync(() => device.Sessions.Count == 1);
            await reporter.StartAsync(CancellationToken.None);
            return loop;
        }

        public async ValueTask DisposeAsync()
        {
            await Reporter.StopAsync(CancellationToken.None);
            Reporter.Dispose();
            await _stop.CancelAsync();
            await Task.WhenAll(_runs).WaitAsync(TimeSpan.FromSeconds(10));
            _stop.Dispose();
        }
    }

    /// <summary>Timestamps the last message of one type on the thread that handles it (the trace's intermediate legs).</summary>
    private sealed class Stamp(MessageType type) : INicMailboxSubscriber
    {
        private long _last;

        public long Last => Interlocked.Read(ref _last);

        public void OnMessage(Offload.Contracts.Mailbox.MailboxSession session, in Offload.Contracts.Mailbox.MessageHeader header, in System.Buffers.ReadOnlySequence<byte> payload)
        {
            if (header.Type == type)
            {
                Interlocked.Exchange(ref _last, Stopwatch.GetTimestamp());
            }
        }
    }
}
