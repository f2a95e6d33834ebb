using Offload.Cli;

namespace Offload.Host.Tests.Cli;

/// <summary>Help text (with an example) and usage errors (exit 2) of the desired-state commands, in process.</summary>
public sealed class StateCommandsHelpTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunInProcessAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OffloadctlApp.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("tenants")]
    [InlineData("tenants", "list")]
    [InlineData("tenants", "show")]
    [InlineData("tenants", "add")]
    [InlineData("tenants", "remove")]
    [InlineData("tenants", "set-sla")]
    [InlineData("subsystems")]
    [InlineData("subsystems", "list")]
    [InlineData("subsystems", "add")]
    [InlineData("subsystems", "remove")]
    [InlineData("rates")]
    [InlineData("rates", "show")]
    [InlineData("rates", "set")]
    [InlineData("rates", "pin")]
    [InlineData("rates", "unpin")]
    [InlineData("policy")]
    [InlineData("policy", "show")]
    [InlineData("policy", "set")]
    [InlineData("apply")]
    [InlineData("diff")]
    public async Task Help_EveryStateCommand_HasAnExampleOfItself(params string[] command)
    {
        var (exitCode, output, _) = await RunInProcessAsync([.. command, "--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Example", output, StringComparison.Ordinal);
        Assert.Contains("offloadctl " + string.Join(' ', command), output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenants", "add", "gold")]
    [InlineData("tenants", "add", "gold", "--app", "1", "--class", "gold")]
    [InlineData("tenants", "add", "gold", "--app", "minus-one")]
    [InlineData("rates", "pin", "gold")]
    [InlineData("apply")]
    [InlineData("diff", "-f")]
    [InlineData("policy", "set", "--enforce", "maybe")]
    public async Task RunAsync_StateCommandUsageError_ExitsTwo(params string[] args)
    {
        var (exitCode, output, error) = await RunInProcessAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.StartsWith("offloadctl: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PolicySetWithoutChange_ExitsTwoBeforeContactingOffloadd()
    {
        var (exitCode, _, error) = await RunInProcessAsync("policy", "set", "--socket", "/nonexistent/offloadd.sock");

        Assert.Equal(2, exitCode);
        Assert.Equal("offloadctl: policy set needs --enforce and/or --require-flow-metadata; see 'offloadctl policy set --help'", error.Trim());
    }
}
