using System.Text.Json;
using Offload.Contracts.Management;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.Cli.Status;

/// <summary><c>offloadctl status</c> as a real process against a real offloadd (no NICs connected).</summary>
public sealed class StatusCommandTests
{
    private const int ExitDaemonUnreachable = 3;

    [Fact]
    public async Task Status_TextAgainstRunningOffloadd_ShowsVersionUptimeAndNoNics()
    {
        using var offloadd = await OffloaddProcess.StartAsync();

        var result = await Offloadctl.RunAsync("status", "--socket", offloadd.SocketPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.StandardError);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^offloadd \S+, up \d+s \(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)$", lines[0]);
        Assert.Equal("NICs: none connected", lines[1]);
    }

    [Fact]
    public async Task Status_Json_IsTheDocumentedApiDocument()
    {
        using var offloadd = await OffloaddProcess.StartAsync();

        var result = await Offloadctl.RunAsync("status", "--json", "--socket", offloadd.SocketPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal(
            ["schema", "uptimeSeconds", "startedAt", "version", "nics"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("offload.status/v1", root.GetProperty("schema").GetString());
        Assert.True(root.GetProperty("uptimeSeconds").GetInt64() >= 0);
        Assert.True(root.GetProperty("startedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        Assert.Equal(0, root.GetProperty("nics").GetArrayLength());
        var typed = JsonSerializer.Deserialize(result.StandardOutput, ManagementJsonContext.Default.StatusDocument);
        Assert.NotNull(typed);
    }

    [Fact]
    public async Task Status_SocketFromEnvironment_IsUsed()
    {
        using var offloadd = await OffloaddProcess.StartAsync();

        var result = await Offloadctl.RunAsync(
            new Dictionary<string, string?> { ["OFFLOAD_SOCKET"] = offloadd.SocketPath }, "status", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Status_SocketMissing_ExitsThreeWithOneLine()
    {
        using var directory = new TempDirectory();
        var path = directory.File("offloadd.sock");

        var result = await Offloadctl.RunAsync("status", "--socket", path);

        Assert.True(result.ExitCode == ExitDaemonUnreachable, result.ToString());
        Assert.Empty(result.StandardOutput);
        Assert.Equal(
            $"offloadctl: offloadd is not running at {path} (start it with: systemctl start offloadd)",
            Assert.Single(result.StandardErrorLines));
    }

    [Fact]
    public async Task Status_DaemonStopped_ExitsThreeWithOneLine()
    {
        using var offloadd = await OffloaddProcess.StartAsync();
        Assert.Equal(0, await offloadd.StopAsync());

        var result = await Offloadctl.RunAsync("status", "--json", "--socket", offloadd.SocketPath);

        Assert.True(result.ExitCode == ExitDaemonUnreachable, result.ToString());
        Assert.Contains("offloadd is not running at", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_StaleSocketNobodyListening_ExitsThree()
    {
        using var directory = new TempDirectory();
        var path = directory.File("offloadd.sock");
        using (var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path)); // bound, never listening: ECONNREFUSED
        }

        var result = await Offloadctl.RunAsync("status", "--socket", path);

        Assert.True(result.ExitCode == ExitDaemonUnreachable, result.ToString());
        Assert.Contains("offloadd is not running at", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UserOutsideSocketGroup_ExitsThreeNamingPermission()
    {
        using var directory = new TempDirectory();
        File.SetUnixFileMode(directory.Path, (UnixFileMode)0b111_101_101); // 0755: only the socket's own mode may refuse
        using var offloadd = await OffloaddProcess.StartAsync(directory.File("o.sock"));

        var result = await Offloadctl.RunAsUserAsync("nobody", "nogroup", "status", "--socket", offloadd.SocketPath);

        Assert.True(result.ExitCode == ExitDaemonUnreachable, result.ToString());
        Assert.StartsWith($"offloadctl: permission denied on {offloadd.SocketPath}", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_MemberOfSocketGroup_Succeeds()
    {
        using var directory = new TempDirectory();
        File.SetUnixFileMode(directory.Path, (UnixFileMode)0b111_101_101);
        using var offloadd = await OffloaddProcess.StartAsync(directory.File("o.sock"), "--Management:SocketGroup=nogroup");

        var result = await Offloadctl.RunAsUserAsync("nobody", "nogroup", "status", "--json", "--socket", offloadd.SocketPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("offload.status/v1", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_DaemonAcceptsButNeverAnswers_ExitsThreeNamingTimeout()
    {
        using var directory = new TempDirectory();
        var path = directory.File("hung.sock");
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        listener.Listen(16); // the kernel completes connects from the backlog; nobody ever reads or answers

        var result = await Offloadctl.RunAsync("status", "--socket", path);

        Assert.True(result.ExitCode == ExitDaemonUnreachable, result.ToString());
        Assert.Contains("did not answer in time", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_SocketDirectoryNotTraversable_ExitsThreeNamingPermissionNotNotRunning()
    {
        using var directory = new TempDirectory(); // 0700 root: nobody cannot even look inside
        using var offloadd = await OffloaddProcess.StartAsync(directory.File("o.sock"));

        var result = await Offloadctl.RunAsUserAsync("nobody", "nogroup", "status", "--socket", offloadd.SocketPath);

        Assert.True(result.ExitCode == ExitDaemonUnreachable, result.ToString());
        Assert.StartsWith($"offloadctl: permission denied on {offloadd.SocketPath}", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_QueriedLater_StartedAtIsProcessStartNotFirstRequest()
    {
        using var offloadd = await OffloaddProcess.StartAsync();
        var readyObservedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var result = await Offloadctl.RunAsync("status", "--json", "--socket", offloadd.SocketPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.True(json.RootElement.GetProperty("startedAt").GetDateTimeOffset() <= readyObservedAt, result.StandardOutput);
        Assert.True(json.RootElement.GetProperty("uptimeSeconds").GetInt64() >= 1, result.StandardOutput);
    }
}
