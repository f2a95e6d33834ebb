using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Transport;

/// <summary>The per-application counters the flow-metadata telemetry reads, over a real socket.</summary>
public sealed class ApplicationCountersTests
{
    [Fact]
    public async Task CollectApplicationCounters_ReadsAndAnR2TWrite_CountsCommandsPdusCpuAndLatencies()
    {
        var config = TargetFixture.Config(ioccsz: 4); // no in-capsule data: the write takes R2T + H2CData
        await using var target = TargetFixture.Start(config);
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        using var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        Assert.True(io.Connect(TargetFixture.TenantA, qid: 1, cntlid: admin.ControllerId, inCapsule: false).Status.IsSuccess);

        var data = new byte[4096];
        Assert.True(io.Write(TargetFixture.TenantANsid, 0, data, 512, inCapsule: false).Status.IsSuccess);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(io.Read(TargetFixture.TenantANsid, 0, data, 512).Status.IsSuccess);
        }

        var counters = new List<ApplicationCounters>();
        target.CollectApplicationCounters(counters);

        var c = Assert.Single(counters);
        Assert.Equal(20, c.ReadCommands);
        Assert.Equal(1, c.WriteCommands);
        Assert.Equal(22, c.Pdus); // 21 I/O capsules + 1 H2CData (the admin queue's PDUs are not the application's I/O)
        Assert.True(c.CpuNanoseconds > 0);
        var window = new long[LatencyHistogram.BucketCount];
        c.Latency!.Snapshot(window);
        Assert.Equal(21, window.Sum());
        Assert.InRange(LatencyHistogram.Percentile(window, 0.5), 1, 5_000_000_000);
    }
}
