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

    /// <summary>At the default 2% budget a 0.6 ms pass stretches the poll to the period (0.6 of every ~10.6 ms rather
    /// than of every 1.6 ms), a 1 ms rest first (signals wait); a 0.2 ms pass to the period too, without a rest; a 60 us
    /// pass (10,000 connections' lines) to 2.94 ms, rounded up to whole milliseconds (what the waits resolve); with no
    /// queue the wait stays a period.</summary>
    [Theory]
    [InlineData(600, 1000, 1000, 10_000)]
    [InlineData(200, 1000, 0, 10_000)]
    [InlineData(60, 1000, 0, 3_000)]
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
        var source = new LineSource(time); // the queues' clock stands still: levels are the depths'
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

    /// <summary>Past QueueEntriesMax queue pairs the message carries one entry per application: depths, sizes and
    /// averages summed, the highest levels, queue "all"; the totals are the same either way.</summary>
    [Fact]
    public void Fill_MoreQueuePairsThanEntriesMax_OneEntryPerApplication()
    {
        var (time, source, apps, perQueue, perApplication) = TwoScopes(perApplicationMax: 3);
        source.Open(1, 10);
        source.Open(2, 100);
        source.Open(3, 20);
        source.Open(4, 5, Other);
        time.Advance(TimeSpan.FromMilliseconds(300)); // averages well above 0, read at one time by both

        Assert.True(perQueue.Sample());
        Assert.True(perApplication.Sample());

        Assert.Equal(OccupancyScope.QueuePair, perQueue.Message.Scope);
        Assert.Equal(4, perQueue.Message.Entries.Count);
        var message = perApplication.Message;
        Assert.Equal(OccupancyScope.Application, message.Scope);
        Assert.Equal(2, message.Entries.Count);
        var tenant = Assert.Single(message.Entries, e => e.Application == apps.GetOrAdd(Tenant));
        var other = Assert.Single(message.Entries, e => e.Application == apps.GetOrAdd(Other));
        Assert.Equal((Offload.Contracts.Ids.QueueId.AllQueues, 130U, 384U, Offload.Contracts.Messages.OccupancyLevel.High, Offload.Contracts.Messages.OccupancyLevel.Low),
            (tenant.Queue, tenant.SqDepth, tenant.SqSize, tenant.SqLevel, tenant.CqLevel));
        Assert.Equal((5U, 128U, Offload.Contracts.Messages.OccupancyLevel.Low), (other.SqDepth, other.CqSize, other.SqLevel));
        Assert.Equal(perQueue.Message.Entries.Sum(e => e.SqAverage), message.Entries.Sum(e => e.SqAverage), 1e-3);
        Assert.InRange(tenant.SqAverage, 30, 130);
        Assert.Equal(perQueue.Message.Totals, message.Totals);
        Assert.Equal(135UL, message.Totals.SqDepth);
    }

    /// <summary>Each entry's SQ window average is the queue's mean depth since the previous periodic report: a queue that
    /// starts holding one command shows as 0.9 in the period it started (while its 1 s time-averaged depth is still
    /// about 0.01); a threshold report between periods carries the window so far and does not restart it; per
    /// application, the windows of its queues are summed.</summary>
    [Fact]
    public void Sample_SqWindowAverage_MeanDepthSinceThePreviousPeriodicReport()
    {
        var (time, source, apps, perQueue, perApplication) = TwoScopes(perApplicationMax: 2);
        var reporters = new[] { perQueue, perApplication };
        source.Open(1, 0);
        source.Open(2, 0, Other);
        source.Open(3, 2);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.All(reporters, r => Assert.True(r.Sample() && r.PeriodDue));

        time.Advance(TimeSpan.FromMilliseconds(1));
        source.SetDepth(1, 1); // one command held from 1 ms into the period (level Low: no crossing)
        time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.All(reporters, r => Assert.True(r.Sample() && r.PeriodDue));
        var q1 = perQueue.Message.Entries.Single(e => e.Queue.Value == 1);
        Assert.Equal(0.9, q1.SqWindowAverage, 5);
        Assert.InRange(q1.SqAverage, 0.005, 0.011);
        Assert.Equal(0f, perQueue.Message.Entries.Single(e => e.Queue.Value == 2).SqWindowAverage);
        Assert.Equal(2.0, perQueue.Message.Entries.Single(e => e.Queue.Value == 3).SqWindowAverage, 5);
        Assert.Equal(OccupancyScope.Application, perApplication.Message.Scope);
        Assert.Equal(2.9, perApplication.Message.Entries.Single(e => e.Application == apps.GetOrAdd(Tenant)).SqWindowAverage, 5);
        Assert.Equal(0f, perApplication.Message.Entries.Single(e => e.Application == apps.GetOrAdd(Other)).SqWindowAverage);

        time.Advance(TimeSpan.FromMilliseconds(5));
        source.SetDepth(1, 100); // crosses High: a threshold report mid-period
        Assert.True(perQueue.Sample());
        Assert.Equal(OccupancyTrigger.Threshold, perQueue.Message.Trigger);
        Assert.Equal(1.0, perQueue.Message.Entries.Single(e => e.Queue.Value == 1).SqWindowAverage, 5);

        time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.True(perQueue.Sample() && perQueue.PeriodDue);
        Assert.Equal(((1 * 5) + (100 * 5)) / 10.0, perQueue.Message.Entries.Single(e => e.Queue.Value == 1).SqWindowAverage, 4);
    }

    /// <summary>A signalled pass reads only the lines whose queues signalled a level change: a change on a queue that
    /// raises no signal waits for the next full sweep.</summary>
    [Fact]
    public void SampleChanged_OnlySignalledLinesRead()
    {
        var time = new SimulatedTimeProvider();
        var source = new LineSource(time);
        var reporter = new OccupancyReporter(source, new AppDirectory(), null, time, Options.Create(new TelemetryOptions { Period = TimeSpan.FromHours(1) }));
        source.Open(1, 0);
        source.Open(2, 0);
        Assert.False(reporter.Sample());
        var signal = new Offload.Nic.Nvme.Scheduler.OccupancySignal(new Offload.Nic.Nvme.Scheduler.OccupancyThresholds());
        source.Attach(1, signal);

        source.SetDepth(2, 100); // no signal on queue 2
        Assert.False(reporter.SampleChanged());
        source.SetDepth(1, 100); // signalled: its line's bit is set
        Assert.True(reporter.SampleChanged());
        Assert.Equal(OccupancyTrigger.Threshold, reporter.Message.Trigger);
        Assert.False(reporter.SampleChanged()); // the bit was taken
        Assert.Equal(3, reporter.ChangedPasses);

        source.SetDepth(1, 0);
        Assert.True(reporter.Sample()); // a full sweep sees both: queue 1 back to Low, queue 2 High
        var byQueue = reporter.Message.Entries.ToDictionary(e => e.Queue.Value);
        Assert.Equal((Offload.Contracts.Messages.OccupancyLevel.Low, Offload.Contracts.Messages.OccupancyLevel.High), (byQueue[1].SqLevel, byQueue[2].SqLevel));
        Assert.False(reporter.SampleChanged()); // the full sweep took queue 1's bit too
    }

    /// <summary>With one entry per application, a crossing is a change of an application's highest level, not of any
    /// one queue's (at 10,000 connections some queue changes level all the time).</summary>
    [Fact]
    public void Sample_PerApplication_CrossingOnlyWhenAnApplicationsHighestLevelChanges()
    {
        var time = new SimulatedTimeProvider();
        var source = new LineSource(time);
        var reporter = new OccupancyReporter(source, new AppDirectory(), null, time, Options.Create(new TelemetryOptions { Period = TimeSpan.FromHours(1), QueueEntriesMax = 2 }));
        for (ushort q = 1; q <= 5; q++)
        {
            source.Open(q, 0);
        }

        Assert.False(reporter.Sample());
        source.SetDepth(1, 100);
        Assert.True(reporter.Sample()); // the application: Low -> High
        Assert.Equal(OccupancyScope.Application, reporter.Message.Scope);
        source.SetDepth(2, 100);
        Assert.False(reporter.Sample()); // still High
        source.SetDepth(1, 0);
        Assert.False(reporter.Sample()); // queue 2 keeps it High
        source.SetDepth(2, 40);
        Assert.True(reporter.Sample()); // High -> Medium
        Assert.Equal(Offload.Contracts.Messages.OccupancyLevel.Medium, Assert.Single(reporter.Message.Entries).SqLevel);
        source.Close(2);
        Assert.True(reporter.Sample()); // its only Medium queue left: Low
    }

    /// <summary>A pass that ends a period and also sees a crossing reports Threshold and still ends the period (so the
    /// reporter thread sends the period's flow metadata with it).</summary>
    [Fact]
    public void Sample_CrossingAtTheEndOfAPeriod_ThresholdAndPeriodDue()
    {
        var time = new SimulatedTimeProvider();
        var source = new FakeOccupancySource(Tenant);
        var reporter = NewReporter(source, new AppDirectory(), time);
        Assert.False(reporter.Sample());
        time.Advance(TimeSpan.FromMilliseconds(10));
        source.SqDepth = 100;

        Assert.True(reporter.Sample());
        Assert.Equal(OccupancyTrigger.Threshold, reporter.Message.Trigger);
        Assert.True(reporter.PeriodDue);
        source.SqDepth = 0;
        Assert.True(reporter.Sample());
        Assert.False(reporter.PeriodDue);
    }

    /// <summary>Periods are on a grid: a pass that sees a period late (10.7 ms) does not push the next one back
    /// (due at 20 ms, not 20.7), so a 10 ms period gives 100 reports a second however late the wake-ups; a reporter
    /// more than a period behind starts a new grid instead of sending a burst of catch-up reports.</summary>
    [Fact]
    public void Sample_LatePass_NextPeriodStillDueOnTheGrid()
    {
        var time = new SimulatedTimeProvider();
        var source = new FakeOccupancySource(Tenant) { SqDepth = 10 };
        var reporter = NewReporter(source, new AppDirectory(), time);

        time.Advance(TimeSpan.FromMilliseconds(10.7));
        Assert.True(reporter.Sample());
        Assert.True(reporter.PeriodDue);
        Assert.Equal(TimeSpan.FromMilliseconds(9.3), reporter.UntilPeriodDue());
        time.Advance(TimeSpan.FromMilliseconds(9.3));
        Assert.True(reporter.Sample());
        Assert.True(reporter.PeriodDue);

        time.Advance(TimeSpan.FromMilliseconds(35));
        Assert.True(reporter.Sample());
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(reporter.Sample());
        Assert.Equal(TimeSpan.FromMilliseconds(9), reporter.UntilPeriodDue());
    }

    /// <summary>One line source read by two reporters: one listing up to 4 queue pairs one by one, one that switches to
    /// per-application entries past <paramref name="perApplicationMax"/>.</summary>
    private static (SimulatedTimeProvider Time, LineSource Source, AppDirectory Apps, OccupancyReporter PerQueue, OccupancyReporter PerApplication) TwoScopes(int perApplicationMax)
    {
        var time = new SimulatedTimeProvider();
        var source = new LineSource(time);
        var apps = new AppDirectory();
        return (time, source, apps,
            new OccupancyReporter(source, apps, null, time, Options.Create(new TelemetryOptions { QueueEntriesMax = 4 })),
            new OccupancyReporter(source, apps, null, time, Options.Create(new TelemetryOptions { QueueEntriesMax = perApplicationMax })));
    }

    private static readonly NvmeAppId Other = new("nqn.2014-08.org.nvmexpress:uuid:o", Guid.Parse("00000000-0000-0000-0000-000000000008"));

    /// <summary>Queue pairs of one application (controller 1) on a slab, opened and closed by queue id.</summary>
    private sealed class LineSource(TimeProvider clock) : Offload.Nic.Nvme.Scheduler.IOccupancySource
    {
        private readonly Dictionary<ushort, (Offload.Nic.Nvme.Scheduler.ConnectionCounters Connection, Offload.Nic.Nvme.Scheduler.QueueOccupancy Sq)> _open = [];

        public Offload.Nic.Nvme.Scheduler.TelemetrySlab Telemetry { get; } = new(clock);

        public void Open(ushort queue, int sqDepth, NvmeAppId? app = null)
        {
            var c = new Offload.Nic.Nvme.Scheduler.ConnectionCounters(Telemetry);
            var sq = new Offload.Nic.Nvme.Scheduler.QueueOccupancy(Telemetry.Time, c.Cell, completion: false, 128);
            _ = new Offload.Nic.Nvme.Scheduler.QueueOccupancy(Telemetry.Time, c.Cell, completion: true, 128);
            sq.Set(sqDepth);
            c.Describe(app ?? Tenant, new Offload.Nic.Nvme.Subsystem.ControllerId(1), queue);
            _open.Add(queue, (c, sq));
        }

        public void SetDepth(ushort queue, int sqDepth) => _open[queue].Sq.Set(sqDepth);

        public void Attach(ushort queue, Offload.Nic.Nvme.Scheduler.OccupancySignal signal) => _open[queue].Sq.Signal = signal;

        public void Close(ushort queue)
        {
            _open[queue].Connection.Release();
            _open.Remove(queue);
        }
    }
}
