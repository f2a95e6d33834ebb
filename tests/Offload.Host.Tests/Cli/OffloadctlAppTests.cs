using Offload.Cli;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.Cli;

public sealed class OffloadctlAppTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunInProcessAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OffloadctlApp.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("no-such-command")]
    [InlineData("status", "--no-such-option")]
    [InlineData("status", "--socket")]
    public async Task RunAsync_UsageError_ExitsTwoAndPointsAtHelp(params string[] args)
    {
        var (exitCode, output, error) = await RunInProcessAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("offloadctl: ", error, StringComparison.Ordinal);
        Assert.Contains("offloadctl --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Help_ExitsZeroWithExamplesAndExitCodes()
    {
        var (exitCode, output, _) = await RunInProcessAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("offloadctl status --json", output, StringComparison.Ordinal);
        Assert.Contains("3 offloadd unreachable", output, StringComparison.Ordinal);
        Assert.Contains("--socket", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StatusHelp_HasExample()
    {
        var (exitCode, output, _) = await RunInProcessAsync("status", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("Examples:", output, StringComparison.Ordinal);
        Assert.Contains("--json", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_UsageError_RealProcessExitsTwo()
    {
        var result = await Offloadctl.RunAsync("frobnicate");

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public async Task Main_Version_ExitsZero()
    {
        var result = await Offloadctl.RunAsync("--version");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(string.IsNullOrWhiteSpace(result.StandardOutput));
    }
}
