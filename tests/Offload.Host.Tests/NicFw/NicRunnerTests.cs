using Offload.Testing.Processes;

namespace Offload.Host.Tests.NicFw;

/// <summary>Real nic-fw processes: option validation and graceful shutdown.</summary>
public sealed class NicRunnerTests
{
    private static async Task<ProcessResult> RunNicFwAsync(params string[] arguments) =>
        await ChildProcess.RunAsync(RepositoryLayout.NicFw, arguments, OffloaddProcess.StartTimeout);

    [Theory]
    [InlineData("--Nic:BoardId=Qemu-0", "Nic:BoardId='Qemu-0' is invalid")]
    [InlineData("--Nic:BoardId=-leading-dash", "Nic:BoardId='-leading-dash' is invalid")]
    [InlineData("--Nic:BoardId=has space", "Nic:BoardId='has space' is invalid")]
    [InlineData("--Nic:FirmwareVersion=1.0 beta", "Nic:FirmwareVersion='1.0 beta' is invalid")]
    public async Task RunAsync_BadOption_ExitsNonZeroWithOneLineNamingKeyAndValue(string argument, string expected)
    {
        var result = await RunNicFwAsync(argument);

        Assert.True(result.ExitCode == 78, result.ToString());
        var line = Assert.Single(result.StandardErrorLines);
        Assert.StartsWith("nic-fw: invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BoardIdTooLong_Rejected()
    {
        var result = await RunNicFwAsync("--Nic:BoardId=" + new string('a', 64));

        Assert.True(result.ExitCode == 78, result.ToString());
    }

    [Fact]
    public async Task RunAsync_Defaults_StartsAsQemu0WithBuildVersionAndStopsCleanlyOnSigTerm()
    {
        using var nic = await NicFwProcess.StartAsync();

        Assert.Matches(@"nic-fw started: board qemu-0, firmware \d+\.\d+\.\d+", nic.Process.StandardOutput);
        Assert.Equal(0, await nic.StopAsync());
        Assert.Contains("nic-fw stopped: board qemu-0", nic.Process.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BoardAndFirmwareFromCommandLine_Announced()
    {
        using var nic = await NicFwProcess.StartAsync("--Nic:BoardId=bf3.lab-07", "--Nic:FirmwareVersion=2.4.1-rc1");

        Assert.Contains("nic-fw started: board bf3.lab-07, firmware 2.4.1-rc1", nic.Process.StandardOutput, StringComparison.Ordinal);
    }
}
