using Microsoft.Extensions.Options;
using Offload.Contracts.Messages;
using Offload.Nic.Telemetry;
using Offload.Testing.Time;
using NvmeAppId = Offload.Nic.Nvme.Subsystem.AppId;

namespace Offload.Host.Tests.Loop;

public sealed class OccupancyReporterTests
{
    private static readonly NvmeAppId Tenant = new("nqn.2014-08.org.nvmexpress:uuid:t", Guid.Parse("00000000-0000-0000-0000-000000000007"));

    [Fact]
    public void Sample_QueueCrossesHighBeforePeriodEnds_ReportsThresholdAtOnce()
    {
        var time = new SimulatedTimeProvider();
        var source = new FakeOccupancySource(Tenant);
        var apps = new AppDirectory();
        var reporter = NewReporter(source, apps, time);
        Assert.False(reporter.Sample());

        source.SqDepth = 100;
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(reporter.Sample());
        var message = reporter.Message;
        Assert.Equal(OccupancyTrigger.Threshold, message.Trigger);
        var entry = Assert.Single(message.Entries);
        Assert.Equal(apps.GetOrAdd(Tenant), entry.Application);
        Assert.Equal(100U, entry.SqDepth);
        Assert.Equal(128U, entry.SqSize);
        Assert.Equal(OccupancyLevel.High, entry.SqLevel);
        Assert.Equal(OccupancyLevel.Low, entry.CqLevel);
        Assert.Equal(100UL, message.Totals.SqDepth);
        Assert.Equal(128UL, message.Totals.SqCapacity);
    }

    [Fact]
    public void Sample_NoChange_ReportsOnlyWhenThePeriodHasPassed()
    {
        var time = new SimulatedTimeProvider();
        var source = new FakeOccupancySource(Tenant) { SqDepth = 10 };
        var reporter = NewReporter(source, new AppDirectory(), time);

        time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.False(reporter.Sample());
        time.Advance(TimeSpan.FromMilliseconds(6));

        Assert.True(reporter.Sample());
        Assert.Equal(OccupancyTrigger.Periodic, reporter.Message.Trigger);
        Assert.Equal(10U, reporter.Message.Entries[0].SqDepth);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(reporter.Sample());
    }

    [Fact]
    public void Sample_QueueFallsBackToLow_ReportsThresholdAgain()
    {
        var time = new SimulatedTimeProvider();
        var source = new FakeOccupancySource(Tenant) { CqDepth = 120 };
        var reporter = NewReporter(source, new AppDirectory(), time);
        Assert.True(reporter.Sample());
        Assert.Equal(OccupancyLevel.High, reporter.Message.Entries[0].CqLevel);

        source.CqDepth = 0;

        Assert.True(reporter.Sample());
        Assert.Equal(OccupancyTrigger.Threshold, reporter.Message.Trigger);
        Assert.Equal(OccupancyLevel.Low, reporter.Message.Entries[0].CqLevel);
    }

    [Fact]
    public void Sample_SteadyState_AllocatesNothing()
    {
        var time = new SimulatedTimeProvider();
        var source = new FakeOccupancySource(Tenant) { SqDepth = 5 };
        var reporter = NewReporter(source, new AppDirectory(), time);
        for (int i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            reporter.Sample();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            reporter.Sample();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static OccupancyReporter NewReporter(FakeOccupancySource source, AppDirectory apps, TimeProvider time, TelemetryOptions? options = null) =>
        new(source, apps, null, time, Options.Create(options ?? new TelemetryOptions()));

    /// <summary>A pass of a few microseconds (a few queues) keeps the 1 ms poll and a negligible rest.</summary>
    [Fact]
    public void Pace_FastPass_PollAndSignalUnchanged()
    {
        var options = new TelemetryOptions();
        var (rest, wait) = OccupancyReporter.Pace(TimeSpan.FromMicroseconds(5), options.ThresholdPoll, options);

        Assert.Equal(TimeSpan.Zero, rest);
        Assert.Equal(options.ThresholdPoll, wait);
    }

    /// <summary>A 0.6 ms pass (10,000 connections) stretches the poll to the period (0.6 of every ~10.6 ms rather than
    /// of every 1.6 ms), a 1 ms rest first (signals wait); a 0.2 ms pass to 3.8 ms, rounded up to whole milliseconds
    /// (what the waits resolve), without a rest; with no queue the wait stays a period.</summary>
    [Theory]
    [InlineData(600, 1000, 1000, 10_000)]
    [InlineData(200, 1000, 0, 4_000)]
    [InlineData(20, 1000, 0, 1000)]
    [InlineData(5, 10_000, 0, 10_000)]
    public void Pace_SlowPass_PollStretchesWithinBudgetUpToPeriod(int spentMicros, int intervalMicros, int restMicros, int expectedPollMicros)
    {
        var options = new TelemetryOptions();
        var (rest, wait) = OccupancyReporter.Pace(TimeSpan.FromMicroseconds(spentMicros), TimeSpan.FromMicroseconds(intervalMicros), options);

        Assert.Equal(restMicros, rest.TotalMicroseconds, 1);
        Assert.Equal(expectedPollMicros, (rest + wait).TotalMicroseconds, 1);
        Assert.Equal(0, wait.Ticks % TimeSpan.TicksPerMillisecond); // never a sub-millisecond wait (it would not wait)
    }

    /// <summary>A pass longer than a period rests one period and polls again at once.</summary>
    [Fact]
    public void Pace_PassLongerThanPeriod_RestCappedAtPeriod()
    {
        var options = new TelemetryOptions();
        var (rest, wait) = OccupancyReporter.Pace(TimeSpan.FromMilliseconds(25), options.ThresholdPoll, options);

        Assert.Equal(options.Period, rest);
        Assert.Equal(TimeSpan.Zero, wait);
    }

    /// <summary>The budget is an option: at 10% a 0.6 ms pass is followed by 5.4 ms, rounded up to 6 (1 ms rest + 5).</summary>
    [Fact]
    public void Pace_LargerBudget_ShorterPoll()
    {
        var options = new TelemetryOptions { PollCpuBudget = 0.1 };
        var (rest, wait) = OccupancyReporter.Pace(TimeSpan.FromMicroseconds(600), options.ThresholdPoll, options);

        Assert.Equal(6000, (rest + wait).TotalMicroseconds, 1);
    }

    /// <summary>Levels are kept per telemetry line and owner: a closed connection is no crossing, a new one on a
    /// reused line starts from Low (a crossing only when it is above Low), and every entry carries its own queue's level.</summary>
    [Fact]
    public void Sample_ConnectionsCloseAndNewOnesReuseLines_CrossingsByConnection()
    {
        var time = new SimulatedTimeProvider();
        var source = new LineSource();
        var reporter = new OccupancyReporter(source, new AppDirectory(), null, time, Options.Create(new TelemetryOptions { Period = TimeSpan.FromHours(1) }));
        source.Open(1, 0);
        source.Open(2, 100); // queue pair 2's SQ is High
        source.Open(3, 0);
        Assert.True(reporter.Sample()); // a new queue above Low

        Assert.False(reporter.Sample()); // nothing changed
        source.Close(1);
        Assert.False(reporter.Sample()); // gone: no crossing
        source.Open(4, 0); // takes the freed line, at Low
        Assert.False(reporter.Sample());
        source.Close(4);
        source.Open(5, 100); // the same line again, above Low
        Assert.True(reporter.Sample());
        source.SetDepth(2, 0);
        source.SetDepth(3, 100);
        Assert.True(reporter.Sample());

        Assert.Equal(OccupancyTrigger.Threshold, reporter.Message.Trigger);
        var byQueue = reporter.Message.Entries.ToDictionary(e => e.Queue.Value);
        Assert.Equal(Offload.Contracts.Messages.OccupancyLevel.Low, byQueue[2].SqLevel);
        Assert.Equal(Offload.Contracts.Messages.OccupancyLevel.High, byQueue[3].SqLevel);
        Assert.Equal(Offload.Contracts.Messages.OccupancyLevel.High, byQueue[5].SqLevel);
        Assert.Equal((100U, 100U), (byQueue[3].SqDepth, byQueue[5].SqDepth));
        Assert.All(byQueue.Values, e => Assert.Equal(Offload.Contracts.Messages.OccupancyLevel.Low, e.CqLevel));
        Assert.Equal(3, reporter.Message.Entries.Count);
        Assert.Equal(200UL, reporter.Message.Totals.SqDepth);
    }

    /// <summary>Queue pairs of one application (controller 1) on a slab, opened and closed by queue id.</summary>
    private sealed class LineSource : Offload.Nic.Nvme.Scheduler.IOccupancySource
    {
        private readonly Dictionary<ushort, (Offload.Nic.Nvme.Scheduler.ConnectionCounters Connection, Offload.Nic.Nvme.Scheduler.QueueOccupancy Sq)> _open = [];

        public Offload.Nic.Nvme.Scheduler.TelemetrySlab Telemetry { get; } = new(TimeProvider.System);

        public void Open(ushort queue, int sqDepth)
        {
            var c = new Offload.Nic.Nvme.Scheduler.ConnectionCounters(Telemetry);
            var sq = new Offload.Nic.Nvme.Scheduler.QueueOccupancy(Telemetry.Time, c.Cell, completion: false, 128);
            _ = new Offload.Nic.Nvme.Scheduler.QueueOccupancy(Telemetry.Time, c.Cell, completion: true, 128);
            sq.Set(sqDepth);
            c.Describe(Tenant, new Offload.Nic.Nvme.Subsystem.ControllerId(1), queue);
            _open.Add(queue, (c, sq));
        }

        public void SetDepth(ushort queue, int sqDepth) => _open[queue].Sq.Set(sqDepth);

        public void Close(ushort queue)
        {
            _open[queue].Connection.Release();
            _open.Remove(queue);
        }
    }
}
