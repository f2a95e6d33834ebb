using Offload.Host.Management;

namespace Offload.Host.Tests.Management;

public sealed class ManagementOptionsValidatorTests
{
    private static IEnumerable<string> Failures(ManagementOptions options) =>
        new ManagementOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        Assert.True(new ManagementOptionsValidator().Validate(null, new ManagementOptions()).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]
    public void Validate_TcpPortInRange_Succeeds(int port)
    {
        Assert.Empty(Failures(new ManagementOptions { TcpPort = port }));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(70000)]
    public void Validate_TcpPortOutOfRange_NamesKeyAndValue(int port)
    {
        var failure = Assert.Single(Failures(new ManagementOptions { TcpPort = port }));

        Assert.StartsWith($"Management:TcpPort={port} is invalid", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("relative/offloadd.sock")]
    [InlineData("/run/offload/")]
    public void Validate_BadSocketPath_NamesKeyAndValue(string path)
    {
        var failure = Assert.Single(Failures(new ManagementOptions { SocketPath = path }));

        Assert.StartsWith($"Management:SocketPath='{path}' is invalid", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SocketPathLongerThanSunPath_Fails()
    {
        var path = "/tmp/" + new string('s', ManagementOptionsValidator.MaxSocketPathSize);

        var failure = Assert.Single(Failures(new ManagementOptions { SocketPath = path }));

        Assert.Contains("longer than 107 bytes", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SocketPathExactly107Bytes_Succeeds()
    {
        var path = "/tmp/" + new string('s', ManagementOptionsValidator.MaxSocketPathSize - 5);

        Assert.Empty(Failures(new ManagementOptions { SocketPath = path }));
    }

    [Theory]
    [InlineData("root")]
    [InlineData("0")]
    [InlineData("65534")]
    public void Validate_ExistingGroupNameOrGid_Succeeds(string group)
    {
        Assert.Empty(Failures(new ManagementOptions { SocketGroup = group }));
    }

    [Fact]
    public void Validate_UnknownGroup_NamesKeyAndValue()
    {
        var failure = Assert.Single(Failures(new ManagementOptions { SocketGroup = "no-such-offload-group" }));

        Assert.StartsWith("Management:SocketGroup='no-such-offload-group' is invalid", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralBadKeys_ReportsEach()
    {
        var failures = Failures(new ManagementOptions { SocketPath = "x", TcpPort = -5, SocketGroup = "" });

        Assert.Equal(3, failures.Count());
    }
}
