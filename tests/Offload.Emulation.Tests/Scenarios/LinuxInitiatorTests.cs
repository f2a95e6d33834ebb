using Offload.Emulation.Capture;
using Offload.Emulation.Qemu;
using Offload.Emulation.Scenarios;

namespace Offload.Emulation.Tests.Scenarios;

/// <summary>
/// Acceptance "Real client" (issue 3): the stock Linux NVMe/TCP initiator in a QEMU guest against the nic-fw
/// target on the host, captured with filter-dump and checked by tshark.
/// </summary>
[Collection(GuestCollection.Name)]
public sealed class LinuxInitiatorTests(GuestImageFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offload-initiator-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_PlainConnectWithInCapsuleWrites_FioVerifiesAndCaptureIsClean()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4 + (8192 / 16));

        var (result, report) = await RunAsync(target, digests: false, deniedHost: HostedNvmeTarget.DeniedHostNqn);

        AssertInitiatorRun(result);
        var denied = result.Step(LinuxInitiatorScenario.DeniedConnect);
        Assert.True(denied is { ExitCode: not 0 }, "a host NQN that is not on the allow-list must be refused at Connect\n" + result.Describe());
        // Linux logs NVME_SC_CONNECT_INVALID_HOST (0x184) as "Connect for subsystem ... is not allowed".
        Assert.Contains(
            $"is not allowed, hostnqn: {HostedNvmeTarget.DeniedHostNqn}",
            result.Step(LinuxInitiatorScenario.Kernel)?.Output ?? string.Empty,
            StringComparison.Ordinal);
        Assert.True(report.MalformedCount == 0 && report.PduCount > 0, report.ToString());
        Assert.Equal(0, report.GoodHeaderDigests + report.BadHeaderDigests);
    }

    [Fact]
    public async Task RunAsync_DigestsWithMinimalIoccsz_FioVerifiesThroughR2TAndDigestsCheck()
    {
        await using var target = HostedNvmeTarget.Start(ioccsz: 4);

        var (result, report) = await RunAsync(target, digests: true, deniedHost: null);

        AssertInitiatorRun(result);
        Assert.True(report.IsClean, report.ToString());
        Assert.True(report.GoodHeaderDigests > 0 && report.GoodDataDigests > 0, report.ToString());
        Assert.True(report.PduTypes.Keys.Any(t => t.Contains('6', StringComparison.Ordinal) || t.Contains("H2C", StringComparison.OrdinalIgnoreCase)), "no H2CData PDUs: " + report);
        Assert.True(report.PduTypes.Keys.Any(t => t.Contains('9', StringComparison.Ordinal) || t.Contains("R2T", StringComparison.OrdinalIgnoreCase)), "no R2T PDUs: " + report);
    }

    private async Task<(GuestRunResult Result, NvmeTcpCaptureReport Report)> RunAsync(HostedNvmeTarget target, bool digests, string? deniedHost)
    {
        var scenario = new LinuxInitiatorScenario("10.0.2.2", target.Port, HostedNvmeTarget.SubsystemNqn, HostedNvmeTarget.HostNqn, HostedNvmeTarget.HostId)
        {
            Digests = digests,
            DeniedHostNqn = deniedHost,
        };
        var pcap = Path.Combine(_directory, "initiator.pcap");
        var result = await QemuRunner.RunAsync(new GuestMachineOptions(fixture.Image)
        {
            Name = digests ? "initiator-digest" : "initiator",
            Scenario = scenario.Build(),
            PcapPath = pcap,
            Timeout = TimeSpan.FromMinutes(5),
        });
        var report = await NvmeTcpCaptureAnalyzer.AnalyzeAsync(pcap, target.Port);
        return (result, report);
    }

    private static void AssertInitiatorRun(GuestRunResult result)
    {
        Assert.True(result.Done, result.Describe());
        foreach (var step in new[]
        {
            LinuxInitiatorScenario.Discover, LinuxInitiatorScenario.Connect, LinuxInitiatorScenario.WaitDevice, LinuxInitiatorScenario.List,
            LinuxInitiatorScenario.IdCtrl, LinuxInitiatorScenario.IdNs, LinuxInitiatorScenario.FioStep(4096), LinuxInitiatorScenario.FioStep(131072),
            LinuxInitiatorScenario.Disconnect,
        })
        {
            var outcome = result.Step(step);
            Assert.True(outcome is { ExitCode: 0 }, $"step {step} failed\n{outcome?.Output}\n{result.Describe()}");
        }

        Assert.Contains(HostedNvmeTarget.SubsystemNqn, result.Step(LinuxInitiatorScenario.Discover)!.Output, StringComparison.Ordinal);
        Assert.Contains("disconnected 1 controller", result.Step(LinuxInitiatorScenario.Disconnect)!.Output, StringComparison.Ordinal);
        foreach (var blockSize in new[] { 4096, 131072 })
        {
            var fio = result.Step(LinuxInitiatorScenario.FioStep(blockSize))!.Output;
            Assert.Contains("err= 0", fio, StringComparison.Ordinal);
            Assert.DoesNotContain("verify:", fio, StringComparison.Ordinal);
        }
    }
}
