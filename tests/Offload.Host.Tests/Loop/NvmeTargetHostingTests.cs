using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Offload.Nic;
using Offload.Nic.Mailbox;
using Offload.Nic.Nvme;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Telemetry;

namespace Offload.Host.Tests.Loop;

public sealed class NvmeTargetHostingTests
{
    [Fact]
    public async Task AddNicNvmeTarget_NvmeSection_ListensWithConfiguredSubsystemsAndReportsOccupancy()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nic:BoardId"] = "loop-test",
            ["Nvme:Listen"] = "127.0.0.1:0",
            ["Nvme:Mdts"] = "5",
            ["Nvme:Subsystems:0:Nqn"] = "nqn.2026-01.io.offload:loop",
            ["Nvme:Subsystems:0:AllowAnyHost"] = "true",
            ["Nvme:Subsystems:0:Namespaces:0:Nsid"] = "1",
            ["Nvme:Subsystems:0:Namespaces:0:Size"] = "1048576",
            ["Telemetry:Period"] = "00:00:00.010",
            ["Telemetry:ConnectionLatencyWindowsPerPeriod"] = "100",
        });
        builder.Services.AddNicFirmware(builder.Configuration);
        builder.Services.AddNicNvmeTarget(builder.Configuration);
        builder.Services.AddNicTelemetry(builder.Configuration);
        using var host = builder.Build();

        await host.StartAsync();
        try
        {
            var target = host.Services.GetRequiredService<NvmeTcpTarget>();
            Assert.NotNull(target.LocalEndPoint);
            Assert.True(target.Catalog.TryGet("nqn.2026-01.io.offload:loop", out _));
            Assert.Same(target, host.Services.GetRequiredService<IOccupancySource>());
            var reporter = host.Services.GetService<OccupancyReporter>();
            Assert.NotNull(reporter);
            Assert.Equal(100, reporter.Flows!.LatencyWindowsPerPeriod);
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(target.LocalEndPoint!);
            Assert.True(socket.Connected);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task NicFwComposition_RateUpdateOverMailbox_ReachesRateEnforcerAndIsAcked()
    {
        var endpoint = LoopFixture.NewTcpEndpoint();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Nic:BoardId"] = "loop-test",
            ["Mailbox:Endpoint"] = endpoint.ToString(),
            ["Nvme:Listen"] = "127.0.0.1:0",
            ["Nvme:Subsystems:0:Nqn"] = "nqn.2026-01.io.offload:loop",
            ["Nvme:Subsystems:0:AllowAnyHost"] = "true",
        });
        builder.Services.AddNicFirmware(builder.Configuration);
        builder.Services.AddNicMailbox(builder.Configuration);
        builder.Services.AddNicNvmeTarget(builder.Configuration);
        builder.Services.AddNicTelemetry(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        var captured = new CapturingHandler();
        var client = LoopFixture.Client(endpoint, captured);
        using var stop = new CancellationTokenSource();
        var run = client.RunAsync(stop.Token);
        try
        {
            var session = await LoopFixture.WaitForSessionAsync(client);
            var update = new Offload.Contracts.Messages.RateUpdate { Epoch = 9, IsFull = true };

            await session.SendAsync(update);
            await LoopFixture.WaitUntilAsync(() => captured.Messages.OfType<Offload.Contracts.Messages.Ack>().Any());

            Assert.Equal(9UL, captured.Messages.OfType<Offload.Contracts.Messages.Ack>().Single().Epoch);
            Assert.Equal(1, host.Services.GetRequiredService<Offload.Nic.Enforcement.RateEnforcer>().Applied);
            await LoopFixture.WaitUntilAsync(() => captured.Messages.OfType<Offload.Contracts.Messages.QueueOccupancy>().Any());
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
            await host.StopAsync();
        }
    }

    /// <summary>A bad setting fails options validation at start with the key in the message: a listen address that is
    /// not ADDR:PORT, a Telemetry:SignalCoalescing over its 1 s limit, no connection latency windows at all.</summary>
    [Theory]
    [InlineData("Nvme:Listen", "not-an-endpoint", "Nvme:Listen")]
    [InlineData("Telemetry:SignalCoalescing", "00:00:02", "SignalCoalescing")]
    [InlineData("Telemetry:ConnectionLatencyWindowsPerPeriod", "0", "ConnectionLatencyWindowsPerPeriod")]
    public async Task AddNicNvmeTarget_BadSetting_FailsOptionsValidationNamingTheKey(string key, string value, string named)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var settings = new Dictionary<string, string?> { ["Nic:BoardId"] = "loop-test", ["Nvme:Listen"] = "127.0.0.1:0" };
        settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddNicFirmware(builder.Configuration);
        builder.Services.AddNicNvmeTarget(builder.Configuration);
        builder.Services.AddNicTelemetry(builder.Configuration);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddNicNvmeTarget_NoNvmeSection_TargetAndReporterAreOff()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().Build();

        services.AddNicNvmeTarget(configuration);
        services.AddNicTelemetry(configuration);

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(NvmeTcpTarget));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(OccupancyReporter));
    }
}
