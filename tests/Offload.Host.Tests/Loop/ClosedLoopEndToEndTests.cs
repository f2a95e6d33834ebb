using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Offload.Contracts.Messages;
using Offload.Controller.Policy;
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
/// The real NVMe/TCP target with a real initiator doing reads; nic-fw's reporter and enforcer on a TCP mailbox;
/// offloadd's control loop with flow metadata required (the production default). The policy's rate must land in
/// the target's own token bucket and be acked.
/// </summary>
public sealed class ClosedLoopEndToEndTests
{
    private const string Nqn = "nqn.2026-01.io.offload:loop-e2e";

    [Fact]
    public async Task ReadsOnRealTarget_FlowMetadataReachesPolicy_RateLandsInTargetTokenBucket()
    {
        var config = TargetConfig.Parse($$"""{ "subsystems": [ { "nqn": "{{Nqn}}", "allowAnyHost": true, "namespaces": [ { "nsid": 1, "size": 1048576, "blockSize": 512 } ] } ] }""");
        await using var target = new NvmeTcpTarget(config, TimeProvider.System);
        target.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var apps = new AppDirectory();
        var enforcer = new RateEnforcer(target.RateLimiter, apps, NullLogger<RateEnforcer>.Instance);
        var endpoint = LoopFixture.NewTcpEndpoint();
        var device = LoopFixture.Device(endpoint, new NicMailboxHandler([enforcer]));
        using var reporter = new OccupancyReporter(target, apps, device, TimeProvider.System,
            Options.Create(new TelemetryOptions { Period = TimeSpan.FromMilliseconds(10) }), target);
        var control = new NicControlLoop(endpoint.ToString(), new ControlLoopOptions { InitialCapacity = 1000 }, TimeProvider.System, NullLogger.Instance);
        var captured = new CapturingHandler();
        var client = LoopFixture.Client(endpoint, new MailboxHandlerChain(captured, control));
        using var stop = new CancellationTokenSource();
        var deviceRun = device.RunAsync(stop.Token);
        await device.Listening;
        var clientRun = client.RunAsync(stop.Token);
        await LoopFixture.WaitForSessionAsync(client);
        await LoopFixture.WaitUntilAsync(() => device.Sessions.Count == 1);
        await reporter.StartAsync(CancellationToken.None);

        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(Nqn);
        using var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        Assert.True(io.Connect(Nqn, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
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

        await LoopFixture.WaitUntilAsync(() => captured.Messages.OfType<FlowMetadataBatch>().Any(b => b.Flows.Any(f => f.ReadRateWindow > 0)), TimeSpan.FromSeconds(20));
        long appliedAfterFlows = enforcer.Applied;
        await LoopFixture.WaitUntilAsync(() => enforcer.Applied > appliedAfterFlows && control.Acks > 0, TimeSpan.FromSeconds(20));
        await readsDone.CancelAsync();
        await reads.WaitAsync(TimeSpan.FromSeconds(10));

        var flows = captured.Messages.OfType<FlowMetadataBatch>().ToList();
        Assert.Contains(flows, b => b.Flows.Any(f => f.ReadRateWindow > 0));
        var app = new AppId(HostInitiator.DefaultHostNqn, admin.HostId);
        var wire = apps.GetOrAdd(app);
        var sent = Assert.IsType<ControlOutput>(control.LastOutput, exactMatch: false);
        Assert.Contains(sent.Rates, r => r.Application == wire);
        Assert.True(control.LastAckedEpoch > 0);
        // The rate is in the target's bucket: a burst far beyond it is refused.
        int admitted = 0;
        for (int i = 0; i < 100_000; i++)
        {
            if (target.RateLimiter.TryAcquire(app, 4096, out _))
            {
                admitted++;
            }
        }

        Assert.InRange(admitted, 1, 99_999);
        await reporter.StopAsync(CancellationToken.None);
        await stop.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
