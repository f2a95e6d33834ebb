using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Offload.Contracts.Messages;
using Offload.Host.Loop;
using Offload.Nic.Enforcement;
using Offload.Nic.Mailbox;
using Offload.Nic.Nvme;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Nic.Telemetry;

namespace Offload.Host.Tests.Loop;

/// <summary>
/// FIG. 3 end to end: reads on the real NVMe/TCP target feed the real policy in offloadd's control loop over a TCP
/// mailbox; its AllocationUpdate reaches nic-fw's enforcer, which puts the I/O queue count and dequeue weight into the
/// target's grants and the meter rate and transmit budget on the application's datapath meter. A new connection's
/// Set Features Number of Queues is then capped by the grant.
/// </summary>
public sealed class AllocationEndToEndTests
{
    private const string Nqn = "nqn.2026-01.io.offload:alloc-e2e";

    [Fact]
    public async Task ReadsOnRealTarget_AllocationUpdateArrives_GrantsMeterAndQueueCountApplied()
    {
        var config = TargetConfig.Parse($$"""{ "subsystems": [ { "nqn": "{{Nqn}}", "allowAnyHost": true, "namespaces": [ { "nsid": 1, "size": 1048576, "blockSize": 512 } ] } ] }""");
        await using var target = new NvmeTcpTarget(config, TimeProvider.System);
        target.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var apps = new AppDirectory();
        var signals = new RecordingApplicationSignals();
        var rates = new RateEnforcer(target.RateLimiter, apps, NullLogger<RateEnforcer>.Instance, signals);
        var allocations = new AllocationEnforcer(target.Catalog.Grants, apps, NullLogger<AllocationEnforcer>.Instance, signals);
        var received = new RecordingSubscriber<AllocationUpdate>(MessageType.AllocationUpdate);
        var endpoint = LoopFixture.NewTcpEndpoint();
        var device = LoopFixture.Device(endpoint, new NicMailboxHandler([rates, allocations, received]));
        using var reporter = new OccupancyReporter(target, apps, device, TimeProvider.System,
            Options.Create(new TelemetryOptions { Period = TimeSpan.FromMilliseconds(10) }), target);
        var control = new NicControlLoop(endpoint.ToString(), new ControlLoopOptions { InitialCapacity = 1000, MaxIoQueues = 4 },
            TimeProvider.System, NullLogger.Instance);
        var client = LoopFixture.Client(endpoint, control);
        using var stop = new CancellationTokenSource();
        var deviceRun = device.RunAsync(stop.Token);
        await device.Listening;
        var clientRun = client.RunAsync(stop.Token);
        await LoopFixture.WaitForSessionAsync(client);
        await LoopFixture.WaitUntilAsync(() => device.Sessions.Count == 1);
        await reporter.StartAsync(CancellationToken.None);

        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(Nqn, ioQueues: 2);
        using var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        Assert.True(io.Connect(Nqn, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
        var app = new AppId(HostInitiator.DefaultHostNqn, admin.HostId);
        var data = new byte[4096];
        using var readsDone = new CancellationTokenSource();
        var reads = Task.Run(() =>
        {
            while (!readsDone.IsCancellationRequested)
            {
                var sqe = HostInitiator.Sqe(IoOpcode.Read, io.NextCid(), 1);
                HostInitiator.SetDword(sqe, 12, 7);
                Assert.True(io.Execute(sqe, readData: data).Status.IsSuccess);
            }
        });

        await LoopFixture.WaitUntilAsync(() => allocations.Applied > 0 && target.Catalog.Grants.IoQueueCountOf(app) > 0, TimeSpan.FromSeconds(30));
        await readsDone.CancelAsync();
        await reads.WaitAsync(TimeSpan.FromSeconds(10));
        await reporter.StopAsync(CancellationToken.None);
        // The recorder sees each update after the enforcer, and the enforcer does not count the empty first update:
        // wait for the recorder to hold the update the enforcer applied last (comparing counts let an early empty one
        // pass for it).
        await LoopFixture.WaitUntilAsync(() => received.Messages is { Count: > 0 } m && m[^1].Epoch == allocations.LastEpoch, TimeSpan.FromSeconds(10));

        // What the NIC holds is exactly what the host last sent.
        var wire = apps.GetOrAdd(app);
        var last = received.Messages[^1];
        var entry = Assert.Single(last.Entries, e => e.Application == wire);
        Assert.Equal(last.Epoch, allocations.LastEpoch);
        Assert.InRange(entry.IoQueueCount, 1, 4);
        Assert.Equal(entry.IoQueueCount, target.Catalog.Grants.IoQueueCountOf(app));
        Assert.True(target.Catalog.Grants.TryGetDequeueWeight(app, out int weight));
        Assert.Equal(AllocationEnforcer.ScaleWeight(entry.DequeueWeight), weight);
        Assert.True(entry.MeterRateBitsPerSecond > 0);
        Assert.Equal(((long)(entry.MeterRateBitsPerSecond / 8), (long)entry.TransmitBudgetSize), signals.Meters[wire]);
        Assert.True(control.AllocationsSent >= allocations.Applied);

        // The grant caps the next association's Number of Queues (the target alone would grant 16).
        using var next = new HostInitiator(target.LocalEndPoint!);
        next.Initialize();
        Assert.True(next.Connect(Nqn, 0, 31).Status.IsSuccess);
        Assert.True(next.PropertySet(ControllerRegisters.Cc, 0x00460001).Status.IsSuccess);
        var setQueues = HostInitiator.Sqe(AdminOpcode.SetFeatures, next.NextCid());
        HostInitiator.SetDword(setQueues, 10, 0x07);
        HostInitiator.SetDword(setQueues, 11, 30 | (30u << 16));
        var completion = next.Execute(setQueues);
        Assert.True(completion.Status.IsSuccess);
        Assert.Equal((ulong)(entry.IoQueueCount - 1), completion.Result & 0xFFFF);

        await stop.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
