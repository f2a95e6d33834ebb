using System.Net.Sockets;
using System.Net;
using Offload.Emulation.LoadGen;
using Offload.Emulation.Tests.Scenarios;

namespace Offload.Emulation.Tests.LoadGen;

/// <summary>The load generator against the nic-fw NVMe/TCP target over loopback.</summary>
public sealed class LoadGeneratorTests
{
    private static LoadGeneratorOptions Options(HostedNvmeTarget target) =>
        new(new IPEndPoint(IPAddress.Loopback, target.Port), HostedNvmeTarget.SubsystemNqn, HostedNvmeTarget.HostNqn)
        {
            HostId = Guid.Parse(HostedNvmeTarget.HostId),
            Duration = TimeSpan.FromSeconds(1.5),
        };

    [Fact]
    public async Task RunAsync_RandomMixWithVerify_NoErrorsAndEveryReadVerifies()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4 + (8192 / 16));

        var report = await LoadGenerator.RunAsync(Options(target) with
        {
            QueueDepth = 4,
            QueueCount = 2,
            IoSize = 4096,
            ReadPercent = 50,
            Verify = true,
            RangeSize = 1 << 20,
        });

        Assert.True(report.Reads > 0 && report.Writes > 0, report.ToString());
        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.VerifyFailures);
        Assert.False(report.Digests);
        Assert.True(report.P50Microseconds > 0 && report.P50Microseconds <= report.P99Microseconds && report.P99Microseconds <= report.P999Microseconds, report.ToString());
    }

    [Fact]
    public async Task RunAsync_LargeWritesWithoutInCapsuleRoom_GoThroughR2TAndVerify()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4);

        var report = await LoadGenerator.RunAsync(Options(target) with
        {
            QueueDepth = 2,
            IoSize = 128 * 1024,
            ReadPercent = 50,
            Random = false,
            Verify = true,
            RangeSize = 4 << 20,
        });

        Assert.True(report.Reads > 0 && report.Writes > 0, report.ToString());
        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.VerifyFailures);
        Assert.Equal((report.Reads + report.Writes) * 128 * 1024, report.BytesMoved);
    }

    [Fact]
    public async Task RunAsync_DigestsInCapsuleAndR2T_VerifiesWithoutErrors()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4 + (8192 / 16));

        var report = await LoadGenerator.RunAsync(Options(target) with
        {
            Digests = true,
            QueueDepth = 4,
            IoSize = 16384, // above the 8 KiB in-capsule room: R2T/H2CData with digests
            ReadPercent = 50,
            Verify = true,
            RangeSize = 2 << 20,
        });
        var small = await LoadGenerator.RunAsync(Options(target) with { Digests = true, QueueDepth = 2, IoSize = 4096, ReadPercent = 50, Verify = true, RangeSize = 1 << 20 });

        Assert.True(report.Digests && small.Digests, "the target did not accept HDGST/DDGST in ICReq");
        Assert.True(report.Reads > 0 && report.Writes > 0 && small.Writes > 0, report + " / " + small);
        Assert.Equal(0, report.Errors + small.Errors);
        Assert.Equal(0, report.VerifyFailures + small.VerifyFailures);
    }

    [Fact]
    public async Task RunAsync_TargetRate_NeverIssuesAheadOfSchedule()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4 + (8192 / 16));

        var report = await LoadGenerator.RunAsync(Options(target) with { QueueDepth = 4, TargetIops = 100, Duration = TimeSpan.FromSeconds(1) });

        // Tickets are due at start + n/100 s and none is issued at or after the end: at most 100 in 1 s.
        Assert.InRange(report.Reads + report.Writes, 1, 100);
    }

    [Fact]
    public async Task RunAsync_HostNotOnAllowList_ConnectRefused()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4 + (8192 / 16));

        var error = await Assert.ThrowsAsync<NvmeStatusException>(() =>
            LoadGenerator.RunAsync(Options(target) with { HostNqn = HostedNvmeTarget.DeniedHostNqn, Duration = TimeSpan.FromSeconds(0.2) }));

        Assert.Equal(0x184, error.Status & 0x7FF); // SCT 1 (command specific), SC 0x84 Connect Invalid Host
    }

    [Fact]
    public async Task SetTargetRate_WhileRunning_NewRateTakesOverAndIsNeverExceeded()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4 + (8192 / 16));
        var generator = new LoadGenerator(Options(target) with { QueueDepth = 4, TargetIops = 100, Duration = TimeSpan.FromSeconds(3) });

        var run = generator.RunAsync();
        while (generator.Connections.Count == 0)
        {
            Assert.False(run.IsCompleted, "the run ended before connecting");
            await Task.Delay(10);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        await Task.Run(() => generator.SetTargetRate(400));
        var report = await run;

        // Ignoring the change would cap the run at ~300 (100/s); exceeding 400/s at any time would pass 3 s x 400 plus
        // the queue depth. The switch time itself depends on the scheduler, so the bounds do not assume it.
        Assert.Equal(400, generator.TargetRate, 1);
        Assert.Equal(0, report.Errors);
        Assert.InRange(report.Reads + report.Writes, 450, (400 * 3) + 4);
    }

    [Fact]
    public async Task FollowRateAdvertisement_TargetStampsRate_GeneratorPacesToIt()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4 + (8192 / 16));
        var generator = new LoadGenerator(Options(target) with
        {
            QueueDepth = 4, TargetIops = 100, Duration = TimeSpan.FromSeconds(3), FollowRateAdvertisement = true,
        });
        using var injector = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Tcp);
        injector.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.HeaderIncluded, true);

        var run = generator.RunAsync();
        while (generator.Connections.Count == 0)
        {
            Assert.False(run.IsCompleted, "the run ended before connecting");
            await Task.Delay(10);
        }

        await Task.Delay(TimeSpan.FromSeconds(0.8)); // the listener's receive is posted; ~80 I/Os at 100/s
        var (local, remote) = generator.Connections[0];
        // What the datapath's rate_advertise action puts on a segment from the target toward this application.
        RateSegments.Send(injector, RateSegments.Segment(remote, local, rate: 400));
        var report = await run;

        Assert.Equal(400, generator.TargetRate, 1);
        Assert.True(generator.RateAdvertisements >= 1);
        Assert.Equal(0, report.Errors);
        // 100/s alone caps 3 s at ~300 I/Os; never above 400/s caps it at 3 s x 400 plus the queue depth.
        Assert.InRange(report.Reads + report.Writes, 320, (400 * 3) + 4);
    }

    [Fact]
    public async Task SetTargetRate_Zero_RemovesPacing()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4 + (8192 / 16));
        var generator = new LoadGenerator(Options(target) with { QueueDepth = 2, TargetIops = 10, Duration = TimeSpan.FromSeconds(1.5) });

        var run = generator.RunAsync();
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        generator.SetTargetRate(0);
        var report = await run;

        Assert.Equal(0, generator.TargetRate);
        Assert.True(report.Reads > 100, report.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.SetTargetRate(-1));
    }
}
