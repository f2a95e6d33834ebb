using Offload.Contracts.Messages;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Telemetry;
using Offload.Testing.Time;

namespace Offload.Host.Tests.Loop;

public sealed class FlowMetadataSamplerTests
{
    private static readonly AppId Tenant = new("nqn.2014-08.org.nvmexpress:uuid:f", Guid.Parse("00000000-0000-0000-0000-0000000000f0"));

    /// <summary>A flow idle after a burst: its request-rate EWMA reaches exactly 0 without passing through subnormal
    /// doubles (stuck there before, each period's arithmetic on 10,000 idle connections took microcode assists), and a
    /// steady rate is reached exactly.</summary>
    [Fact]
    public void Smooth_IdleAfterBurst_ExactlyZeroNeverSubnormal()
    {
        double ewma = 100_000;
        for (int i = 0; i < 5_000; i++)
        {
            ewma = FlowMetadataSampler.Smooth(ewma, 0);
            Assert.False(double.IsSubnormal(ewma), $"period {i}: {ewma}");
        }

        Assert.Equal(0.0, ewma);
        for (int i = 0; i < 200; i++)
        {
            ewma = FlowMetadataSampler.Smooth(ewma, 250);
        }

        Assert.Equal(250.0, ewma);
    }

    [Fact]
    public void Sample_CountersAdvanceOverAWindow_ReportsRequestRatesPerApplication()
    {
        var time = new SimulatedTimeProvider();
        var source = new CounterSource();
        var apps = new AppDirectory();
        var sampler = new FlowMetadataSampler(source, apps, time);
        source.Counters = [new(Tenant, new ControllerId(1), 0, 0, 0, 0), new(Tenant, new ControllerId(2), 0, 0, 0, 0)];
        sampler.Sample(default);

        time.Advance(TimeSpan.FromMilliseconds(100));
        source.Counters = [new(Tenant, new ControllerId(1), 300, 100, 300 * 4096, 100 * 8192), new(Tenant, new ControllerId(2), 100, 0, 100 * 4096, 0)];
        var batch = sampler.Sample(new NodeTotals { SqDepth = 5, SqCapacity = 256 });

        var flow = Assert.Single(batch.Flows);
        Assert.Equal(apps.GetOrAdd(Tenant), flow.Application);
        Assert.Equal(4000f, flow.ReadRateWindow, 1f);
        Assert.Equal(1000f, flow.WriteRateWindow, 1f);
        Assert.Equal(0.8f, flow.ReadWriteRatio, 3);
        Assert.Equal((1000 * 8192 * 8) + (5000 * 72 * 8), flow.BitRate, 100f);
        Assert.Equal(100_000_000L, batch.PeriodNanos);
        Assert.Equal(5UL, batch.Totals.SqDepth);
    }

    /// <summary>The batch's totals carry the sampling thread's own CPU over the window (NodeTotals position 8): what
    /// the thread spent between two samples, per second of the window; 0 for the first sample and when the next one is
    /// taken on another thread (the two readings are not of one thread).</summary>
    [Fact]
    public void Sample_SameThreadBetweenSamples_TelemetryCpuIsThatThreadsCpuOverTheWindow()
    {
        var time = new SimulatedTimeProvider();
        var source = new CounterSource { Counters = [new(Tenant, new ControllerId(1), 0, 0, 0, 0)] };
        var sampler = new FlowMetadataSampler(source, new AppDirectory(), time);
        (ulong First, ulong Busy, long SpentNanos, ulong OtherThread) result = default;
        var thread = new Thread(() =>
        {
            ulong first = sampler.Sample(default).Totals.TelemetryCpuNanosPerSecond;
            long before = ThreadCpuClock.Nanoseconds();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 30)
            {
                // busy: CPU time on this thread
            }

            long spent = ThreadCpuClock.Nanoseconds() - before;
            time.Advance(TimeSpan.FromMilliseconds(100));
            ulong busy = sampler.Sample(default).Totals.TelemetryCpuNanosPerSecond;
            result = (first, busy, spent, 0);
        });
        thread.Start();
        thread.Join();
        time.Advance(TimeSpan.FromMilliseconds(100));
        ulong other = sampler.Sample(default).Totals.TelemetryCpuNanosPerSecond; // this (test) thread: not comparable

        Assert.Equal(0UL, result.First);
        Assert.True(result.SpentNanos > 0);
        // At least what the test saw the thread spend, per second of the 100 ms window; at most that plus 20 ms of the
        // samples' own work.
        Assert.InRange((double)result.Busy, result.SpentNanos / 0.1, (result.SpentNanos + 20_000_000) / 0.1);
        Assert.Equal(0UL, other);
    }

    [Fact]
    public void Sample_LatenciesRecordedAcrossControllers_WindowPercentilesOnlyCountTheNewCompletions()
    {
        var time = new SimulatedTimeProvider();
        var one = new LatencyHistogram();
        var two = new LatencyHistogram();
        for (int i = 0; i < 1000; i++)
        {
            one.Record(1_000_000); // an old, slow window that must not leak into the next one
        }

        var source = new CounterSource { Counters = [new(Tenant, new ControllerId(1), 0, 0, 0, 0, one), new(Tenant, new ControllerId(2), 0, 0, 0, 0, two)] };
        var sampler = new FlowMetadataSampler(source, new AppDirectory(), time);
        Assert.InRange(Assert.Single(sampler.Sample(default).Flows).LatencyP50Nanos, 875_000u, 1_125_000u);

        time.Advance(TimeSpan.FromMilliseconds(10));
        for (int i = 0; i < 980; i++)
        {
            one.Record(20_000);
        }

        for (int i = 0; i < 20; i++)
        {
            two.Record(400_000);
        }

        var flow = Assert.Single(sampler.Sample(default).Flows);

        Assert.InRange(flow.LatencyP50Nanos, 17_500u, 22_500u);   // within the histogram's 12.5% resolution
        Assert.InRange(flow.LatencyP99Nanos, 350_000u, 450_000u); // the 2% slow completions of controller 2
        Assert.InRange(flow.LatencyP999Nanos, 350_000u, 450_000u);

        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(0u, Assert.Single(sampler.Sample(default).Flows).LatencyP99Nanos); // nothing completed since
    }

    [Fact]
    public void Sample_CpuAndPdusAdvance_ReportsCpuNanosPerSecondAndPacketRate()
    {
        var time = new SimulatedTimeProvider();
        var source = new CounterSource { Counters = [new(Tenant, new ControllerId(1), 0, 0, 0, 0, null, 1_000, 10)] };
        var sampler = new FlowMetadataSampler(source, new AppDirectory(), time);
        sampler.Sample(default);

        time.Advance(TimeSpan.FromMilliseconds(100));
        source.Counters = [new(Tenant, new ControllerId(1), 0, 0, 0, 0, null, 5_001_000, 510)];
        var flow = Assert.Single(sampler.Sample(default).Flows);

        Assert.Equal(50_000_000UL, flow.CpuNanosPerSecond); // 5 ms of CPU in 100 ms
        Assert.Equal(5000f, flow.PacketRate, 1f);
    }

    [Fact]
    public void Sample_ControllerGone_NoNegativeRates()
    {
        var time = new SimulatedTimeProvider();
        var source = new CounterSource { Counters = [new(Tenant, new ControllerId(1), 1000, 1000, 0, 0)] };
        var sampler = new FlowMetadataSampler(source, new AppDirectory(), time);
        sampler.Sample(default);
        time.Advance(TimeSpan.FromMilliseconds(10));
        source.Counters = [new(Tenant, new ControllerId(3), 10, 0, 0, 0)];

        var flow = Assert.Single(sampler.Sample(default).Flows);

        Assert.Equal(1000f, flow.ReadRateWindow, 1f);
        Assert.Equal(0f, flow.WriteRateWindow);
    }

    [Fact]
    public void Sample_NewApplication_NamedInFirstBatchThenOnceEveryNameEvery()
    {
        var time = new SimulatedTimeProvider();
        var source = new CounterSource { Counters = [new(Tenant, new ControllerId(1), 0, 0, 0, 0)] };
        var apps = new AppDirectory();
        var sampler = new FlowMetadataSampler(source, apps, time);

        var first = Assert.Single(sampler.Sample(default).Applications);
        Assert.Equal((apps.GetOrAdd(Tenant), Tenant.HostNqn, Tenant.HostId), (first.Application, first.HostNqn, first.HostId));
        int named = 0;
        for (int i = 1; i < FlowMetadataSampler.NameEvery; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            named += sampler.Sample(default).Applications.Count;
        }

        Assert.Equal(1, named); // only the NameEvery-th batch repeats it
    }

    [Fact]
    public void Sample_BytesWritten_NodeMemoryUseCappedAtSharedMemorySize()
    {
        var time = new SimulatedTimeProvider();
        var source = new CounterSource { Counters = [new(Tenant, new ControllerId(1), 0, 10, 0, 3 << 20)] };
        var sampler = new FlowMetadataSampler(source, new AppDirectory(), time, memorySize: 2 << 20);
        time.Advance(TimeSpan.FromMilliseconds(10));

        var totals = sampler.Sample(default).Totals;

        Assert.Equal(2UL << 20, totals.MemorySize);
        Assert.Equal(2UL << 20, totals.MemoryUsedSize);
    }

    private sealed class CounterSource : IApplicationCounterSource
    {
        public ApplicationCounters[] Counters { get; set; } = [];

        public void CollectApplicationCounters(ICollection<ApplicationCounters> destination)
        {
            foreach (var c in Counters)
            {
                destination.Add(c);
            }
        }
    }
}
