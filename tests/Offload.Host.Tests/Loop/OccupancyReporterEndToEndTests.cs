using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Offload.Contracts.Messages;
using Offload.Nic.Mailbox;
using Offload.Nic.Nvme;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Nic.Telemetry;
using QueueOccupancy = Offload.Contracts.Messages.QueueOccupancy;

namespace Offload.Host.Tests.Loop;

/// <summary>
/// The real NVMe/TCP target's queue pair drives the immediate report: with a 30 s period and a 10 s threshold poll,
/// only the queue's own level-change signal can get a Threshold QueueOccupancy to offloadd within seconds.
/// </summary>
public sealed class OccupancyReporterEndToEndTests
{
    private const string Nqn = "nqn.2026-01.io.offload:signal-e2e";

    [Fact]
    public async Task RealQueuePairCrossesHigh_LongPeriodAndPoll_ThresholdReportArrivesAtOnce()
    {
        var config = TargetConfig.Parse($$"""{ "subsystems": [ { "nqn": "{{Nqn}}", "allowAnyHost": true, "namespaces": [ { "nsid": 1, "size": 1048576, "blockSize": 512 } ] } ] }""");
        await using var target = new NvmeTcpTarget(config, TimeProvider.System);
        target.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var apps = new AppDirectory();
        var endpoint = LoopFixture.NewTcpEndpoint();
        var device = LoopFixture.Device(endpoint, new NicMailboxHandler([]));
        using var reporter = new OccupancyReporter(target, apps, device, TimeProvider.System, Options.Create(new TelemetryOptions
        {
            Period = TimeSpan.FromSeconds(30),
            ThresholdPoll = TimeSpan.FromSeconds(10),
        }));
        var captured = new CapturingHandler();
        var client = LoopFixture.Client(endpoint, captured);
        using var stop = new CancellationTokenSource();
        var deviceRun = device.RunAsync(stop.Token);
        await device.Listening;
        var clientRun = client.RunAsync(stop.Token);
        await LoopFixture.WaitForSessionAsync(client);
        await LoopFixture.WaitUntilAsync(() => device.Sessions.Count == 1);

        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(Nqn);
        using var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        Assert.True(io.Connect(Nqn, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
        // The reporter starts with the queue pairs live, so its fallback poll is the 10 s ThresholdPoll.
        await reporter.StartAsync(CancellationToken.None);

        // Writes without in-capsule data: each takes an SQ entry and waits for its data after the R2T, so the SQ fills
        // to 28 of 32 (High from 24) and stays there.
        for (int i = 0; i < 28; i++)
        {
            var sqe = HostInitiator.Sqe(IoOpcode.Write, io.NextCid(), 1);
            HostInitiator.SetDword(sqe, 12, 7);
            HostInitiator.SetSgl(sqe, SubmissionEntry.SglTransport, 0, 4096);
            io.SendRaw(io.BuildCapsule(sqe));
        }

        await LoopFixture.WaitUntilAsync(() => captured.Messages.OfType<QueueOccupancy>().Any(m => m.Trigger == OccupancyTrigger.Threshold
            && m.Entries.Any(e => e.SqLevel == OccupancyLevel.High)), TimeSpan.FromSeconds(5));

        Assert.True(reporter.Signalled >= 1);
        Assert.Equal(0, reporter.PeriodicSent);
        var report = captured.Messages.OfType<QueueOccupancy>().Last(m => m.Trigger == OccupancyTrigger.Threshold);
        var entry = Assert.Single(report.Entries, e => e.Queue.Value == 1);
        Assert.InRange(entry.SqDepth, 24U, 28U);
        await reporter.StopAsync(CancellationToken.None);
        await stop.CancelAsync();
        await Task.WhenAll(deviceRun, clientRun).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
