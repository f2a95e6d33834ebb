using System.Diagnostics;
using Microsoft.Extensions.Options;
using Offload.Nic.Telemetry;

namespace Offload.Host.Tests.Loop;

public sealed class ReportBudgetTests
{
    private static long Ticks(double milliseconds) => (long)(milliseconds / 1000 * Stopwatch.Frequency);

    /// <summary>A full bucket lets reports worth its burst go back to back; the next waits until the overdraft is
    /// paid back at the share (1 ms over at 5% of a core = 20 ms), and then goes at once.</summary>
    [Fact]
    public void Delay_BurstSpent_WaitsForTheOverdraftAtTheShare()
    {
        long now = 1_000_000;
        var budget = new ReportBudget(0.05, TimeSpan.FromMilliseconds(5), now);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, budget.Delay(now));
            budget.Spend(Ticks(1), now);
        }

        Assert.Equal(TimeSpan.Zero, budget.Delay(now)); // exactly the burst: not overdrawn
        budget.Spend(Ticks(1), now);
        Assert.Equal(20, budget.Delay(now).TotalMilliseconds, 0.01);
        Assert.Equal(10, budget.Delay(now + Ticks(10)).TotalMilliseconds, 0.01);
        Assert.Equal(TimeSpan.Zero, budget.Delay(now + Ticks(20)));
    }

    /// <summary>Levels that flap without pause (a signal every 100 µs, each report 80 µs of CPU when sent): over 10 s of
    /// simulated time the reports spend at most the share plus the burst, and still go out regularly.</summary>
    [Fact]
    public void Spend_SignalsWithoutPause_CpuBoundedByTheShare()
    {
        long start = 0, now = start;
        var budget = new ReportBudget(0.05, TimeSpan.FromMilliseconds(5), start);
        long spent = 0;
        int reports = 0;
        while (now < start + Ticks(10_000))
        {
            if (budget.Delay(now) == TimeSpan.Zero)
            {
                budget.Spend(Ticks(0.08), now + Ticks(0.08));
                spent += Ticks(0.08);
                reports++;
            }

            now += Ticks(0.1);
        }

        Assert.InRange(spent, Ticks(0.05 * 10_000), Ticks((0.05 * 10_000) + 5 + 0.1));
        Assert.InRange(reports, 6_000, 6_400); // ~625 reports/s instead of 10,000
    }

    /// <summary>Idle time refills the bucket only up to the burst.</summary>
    [Fact]
    public void Delay_LongIdle_CreditCappedAtTheBurst()
    {
        var budget = new ReportBudget(0.05, TimeSpan.FromMilliseconds(5), 0);
        long later = Ticks(60_000);
        budget.Spend(Ticks(6), later);

        Assert.Equal(20, budget.Delay(later).TotalMilliseconds, 0.01);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Constructor_ShareOutOfRange_Throws(double share) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new ReportBudget(share, TimeSpan.FromMilliseconds(5), 0));

    /// <summary>The reporter's own thread with a mailbox, a queue whose level flaps without pause, and the smallest
    /// budget: once the burst is spent, signalled passes wait (counted), and the periodic reports keep coming.</summary>
    [Fact]
    public async Task Run_LevelsFlapWithoutPause_SignalledPassesWaitAndPeriodsContinue()
    {
        var source = new FakeOccupancySource(new("nqn.2014-08.org.nvmexpress:uuid:flap", Guid.Parse("00000000-0000-0000-0000-0000000000f1")));
        using var directory = new Offload.Testing.Processes.TempDirectory();
        var device = IdleMailboxDevice.Create(directory.Path);
        using var reporter = new OccupancyReporter(source, new AppDirectory(), device, TimeProvider.System,
            Options.Create(new TelemetryOptions { ThresholdReportCpuBudget = 0.001, ReporterThreadPriority = Offload.Contracts.Threading.ControlThreadPriority.Normal }));
        using var stop = new CancellationTokenSource();
        var flapping = Task.Run(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                source.SqDepth = (i & 1) == 0 ? 120 : 0;
                Thread.SpinWait(200);
            }
        });
        await reporter.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (reporter.ThresholdDelays == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"no signalled pass waited: {reporter.ThresholdSent} threshold reports");
                await Task.Delay(20);
            }

            long periodic = reporter.PeriodicSent;
            while (reporter.PeriodicSent < periodic + 5)
            {
                Assert.True(DateTime.UtcNow < deadline, "periodic reports stopped while threshold reports waited");
                await Task.Delay(20);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await flapping;
            await reporter.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>A queue whose level flaps without pause, with the threshold poll as long as the period: nearly every
    /// period ends inside a signalled pass, which sweeps every line for the period's report. That sweep restarts the
    /// poll interval, so there is one sweep of every line per period, not a second one right after it (the poll, counted
    /// from the previous full pass, was due).</summary>
    [Fact]
    public async Task Run_PeriodsEndInSignalledPasses_OneSweepPerPeriod()
    {
        var source = new FakeOccupancySource(new("nqn.2014-08.org.nvmexpress:uuid:sweeps", Guid.Parse("00000000-0000-0000-0000-0000000000f3")));
        using var directory = new Offload.Testing.Processes.TempDirectory();
        var device = IdleMailboxDevice.Create(directory.Path);
        using var reporter = new OccupancyReporter(source, new AppDirectory(), device, TimeProvider.System,
            Options.Create(new TelemetryOptions
            {
                Period = TimeSpan.FromMilliseconds(10),
                ThresholdPoll = TimeSpan.FromMilliseconds(10),
                ThresholdReportCpuBudget = 1,
                ReporterThreadPriority = Offload.Contracts.Threading.ControlThreadPriority.Normal,
            }));
        using var stop = new CancellationTokenSource();
        await reporter.StartAsync(CancellationToken.None);
        var flapping = Task.Run(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                source.SqDepth = (i & 1) == 0 ? 120 : 0;
                Thread.SpinWait(200);
            }
        });
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (reporter.PeriodicSent < 3 || reporter.ChangedPasses == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "no periodic reports or signalled passes");
                await Task.Delay(10);
            }

            long sweeps = reporter.Sweeps, periods = reporter.PeriodicSent, signalled = reporter.ChangedPasses;
            while (reporter.PeriodicSent < periods + 40)
            {
                Assert.True(DateTime.UtcNow < deadline, $"only {reporter.PeriodicSent - periods} periods");
                await Task.Delay(10);
            }

            long periodsRun = reporter.PeriodicSent - periods, sweepsRun = reporter.Sweeps - sweeps;
            Assert.True(reporter.ChangedPasses - signalled > periodsRun, $"{reporter.ChangedPasses - signalled} signalled passes in {periodsRun} periods");
            Assert.True(sweepsRun <= periodsRun + (periodsRun / 5) + 2, $"{sweepsRun} sweeps of every line in {periodsRun} periods");
        }
        finally
        {
            await stop.CancelAsync();
            await flapping;
            await reporter.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Three queue pairs of one application past QueueEntriesMax (one entry per application): one SQ held High,
    /// two flapping between Low and Medium without pause, under the application's highest level. No pass has anything
    /// to report, so each is followed by the coalescing rest (5 ms here): at most one signalled pass per rest, not one
    /// per flap. Then, after a quiet spell, the held queue leaves High, which changes the application's level: that
    /// crossing is still reported, and at once (no rest between its signal and its pass).</summary>
    [Fact]
    public async Task Run_PerApplicationFlapsUnderTheHighestLevel_SignalsCoalescedAndTheCrossingStillReported()
    {
        var app = new Offload.Nic.Nvme.Subsystem.AppId("nqn.2014-08.org.nvmexpress:uuid:coalesce", Guid.Parse("00000000-0000-0000-0000-0000000000f2"));
        var source = new FakeOccupancySource(app, pairs: 3);
        using var directory = new Offload.Testing.Processes.TempDirectory();
        var device = IdleMailboxDevice.Create(directory.Path);
        var coalescing = TimeSpan.FromMilliseconds(5);
        using var reporter = new OccupancyReporter(source, new AppDirectory(), device, TimeProvider.System,
            Options.Create(new TelemetryOptions
            {
                QueueEntriesMax = 2,
                SignalCoalescing = coalescing,
                Period = TimeSpan.FromHours(1),
                ReporterThreadPriority = Offload.Contracts.Threading.ControlThreadPriority.Normal,
            }));
        source.SetSq(0, 120); // High: the application's highest level while the others flap below it
        using var stop = new CancellationTokenSource();
        await reporter.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (reporter.Passes == 0 || reporter.ThresholdSent == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the first report (the application at High) never came");
            await Task.Delay(10);
        }

        long thresholds = reporter.ThresholdSent, passesBefore = reporter.ChangedPasses, raisedBefore = reporter.Signalled;
        var clock = Stopwatch.StartNew();
        var flapping = Task.Run(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                source.SetSq(1 + (i & 1), (i & 2) == 0 ? 40 : 0); // Low <-> Medium (32 of 128)
                Thread.SpinWait(100);
            }
        });
        await Task.Delay(500);
        await stop.CancelAsync();
        await flapping;
        var elapsed = clock.Elapsed;
        long passes = reporter.ChangedPasses - passesBefore, raised = reporter.Signalled - raisedBefore;
        try
        {
            Assert.Equal(thresholds, reporter.ThresholdSent); // nothing changed the application's level
            Assert.True(raised > 100, $"the flapping raised only {raised} signals");
            // One signalled pass per rest at most (plus the first after the full sweeps that reset the rest).
            Assert.True(passes <= (elapsed / coalescing) + 20, $"{passes} signalled passes for {raised} signals in {elapsed.TotalMilliseconds:F0} ms");
            Assert.True(reporter.CoalescingRests > 0);

            // Quiet: the rest after the last signalled pass is over, and full polls take none. The crossing's signal is
            // then answered at once, without a rest of its own.
            await Task.Delay(200);
            long rests = reporter.CoalescingRests;
            source.SetSq(0, 0); // the application's highest level falls from High to Medium or Low: a crossing
            while (reporter.ThresholdSent == thresholds)
            {
                Assert.True(DateTime.UtcNow < deadline, "the application's crossing was not reported");
                await Task.Delay(5);
            }

            Assert.Equal(rests, reporter.CoalescingRests);
        }
        finally
        {
            await reporter.StopAsync(CancellationToken.None);
        }
    }
}
