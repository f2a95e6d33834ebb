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
}
