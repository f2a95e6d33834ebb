using Offload.Testing.Processes;

namespace Offload.Host.Tests;

/// <summary>Real offloadd processes: startup validation, exit codes and graceful shutdown.</summary>
public sealed class OffloaddRunnerTests
{
    private const int ExitInvalidConfiguration = 78;

    private static async Task<ProcessResult> RunOffloaddAsync(params string[] arguments) =>
        await ChildProcess.RunAsync(RepositoryLayout.Offloadd, arguments, OffloaddProcess.StartTimeout);

    [Theory]
    [InlineData("--Management:TcpPort=70000", "Management:TcpPort=70000")]
    [InlineData("--Management:TcpPort=-1", "Management:TcpPort=-1")]
    [InlineData("--Management:TcpPort=abc", "'abc' at 'Management:TcpPort'")]
    [InlineData("--Management:SocketPath=relative.sock", "Management:SocketPath='relative.sock'")]
    [InlineData("--Management:SocketGroup=no-such-offload-group", "Management:SocketGroup='no-such-offload-group'")]
    public async Task RunAsync_BadOption_ExitsNonZeroWithOneLineNamingKeyAndValue(string argument, string expected)
    {
        using var directory = new TempDirectory();

        var result = await RunOffloaddAsync($"--Management:SocketPath={directory.File("o.sock")}", argument);

        Assert.True(result.ExitCode == ExitInvalidConfiguration, result.ToString());
        var line = Assert.Single(result.StandardErrorLines);
        Assert.StartsWith("offloadd: invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(directory.File("o.sock")));
    }

    [Fact]
    public async Task RunAsync_TwoBadOptions_ReportsBothAndExits78()
    {
        var result = await RunOffloaddAsync("--Management:SocketPath=x.sock", "--Management:TcpPort=99999");

        Assert.True(result.ExitCode == ExitInvalidConfiguration, result.ToString());
        Assert.Equal(2, result.StandardErrorLines.Count);
    }

    [Fact]
    public async Task RunAsync_BadOptionInEnvironment_NamesKey()
    {
        var result = await ChildProcess.RunAsync(
            RepositoryLayout.Offloadd,
            [],
            OffloaddProcess.StartTimeout,
            new Dictionary<string, string?> { ["Management__TcpPort"] = "123456" });

        Assert.True(result.ExitCode == ExitInvalidConfiguration, result.ToString());
        Assert.Contains("Management:TcpPort=123456", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CommandLineOverridesEnvironment_BadEnvironmentValueIgnored()
    {
        using var directory = new TempDirectory();
        var socket = directory.File("o.sock");
        using var process = ChildProcess.Start(
            RepositoryLayout.Offloadd,
            [$"--Management:SocketPath={socket}", "--Management:TcpPort=0"],
            new Dictionary<string, string?> { ["Management__TcpPort"] = "123456" });

        await process.WaitForOutputAsync(OffloaddProcess.ReadyText, OffloaddProcess.StartTimeout);

        Assert.True(File.Exists(socket));
    }

    [Fact]
    public async Task RunAsync_SigTerm_ExitsZeroAndRemovesSocket()
    {
        using var offloadd = await OffloaddProcess.StartAsync();
        Assert.True(File.Exists(offloadd.SocketPath));

        var exitCode = await offloadd.StopAsync();

        Assert.True(exitCode == 0, offloadd.Process.Describe());
        Assert.False(File.Exists(offloadd.SocketPath), "socket file left behind after SIGTERM");
    }

    [Fact]
    public async Task RunAsync_SigInt_ExitsZero()
    {
        using var offloadd = await OffloaddProcess.StartAsync();

        offloadd.Process.Signal(UnixSignal.Interrupt);

        Assert.Equal(0, await offloadd.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
