using System.Net.Sockets;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.Management;

/// <summary>The management socket file as a real offloadd creates, protects and removes it.</summary>
public sealed class ManagementSocketTests
{
    private const UnixFileMode Mode0660 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    [Fact]
    public async Task StartedAsync_Default_SocketHasMode0660()
    {
        using var offloadd = await OffloaddProcess.StartAsync();

        Assert.Equal(Mode0660, File.GetUnixFileMode(offloadd.SocketPath));
    }

    [Fact]
    public async Task StartedAsync_ProcessUmaskIsPermissive_SocketStillHasMode0660()
    {
        using var directory = new TempDirectory();
        var socket = directory.File("o.sock");

        // sh sets umask 000 and execs offloadd; without our umask/chmod the socket would be 0777.
        using var process = ChildProcess.Start("/bin/sh", ["-c", "umask 000 && exec \"$0\" \"$1\"", RepositoryLayout.Offloadd, $"--Management:SocketPath={socket}"]);
        await process.WaitForOutputAsync(OffloaddProcess.ReadyText, OffloaddProcess.StartTimeout);

        Assert.Equal(Mode0660, File.GetUnixFileMode(socket));
    }

    [Fact]
    public async Task StartedAsync_SocketGroupConfigured_SocketOwnedByThatGroup()
    {
        using var offloadd = await OffloaddProcess.StartAsync(null, "--Management:SocketGroup=nogroup");

        Assert.Equal(65534u, GroupOf(offloadd.SocketPath));
    }

    [Fact]
    public async Task PreparePath_MissingDirectory_IsCreated()
    {
        using var directory = new TempDirectory();
        var socket = Path.Combine(directory.Path, "run", "offload", "offloadd.sock");

        using var offloadd = await OffloaddProcess.StartAsync(socket);

        Assert.True(File.Exists(socket));
    }

    [Fact]
    public async Task PreparePath_StaleSocketFromCrashedDaemon_IsReplaced()
    {
        using var directory = new TempDirectory();
        var path = directory.File("o.sock");
        using (var crashed = await OffloaddProcess.StartAsync(path))
        {
            crashed.Process.Signal(UnixSignal.Kill);
            await crashed.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.True(File.Exists(path), "SIGKILL should leave the socket file behind");

        using var offloadd = await OffloaddProcess.StartAsync(path);

        Assert.Contains("Removed stale management socket", offloadd.Process.StandardOutput, StringComparison.Ordinal);
        var status = await Offloadctl.RunAsync("status", "--socket", path);
        Assert.True(status.ExitCode == 0, status.ToString());
    }

    [Fact]
    public async Task PreparePath_AnotherOffloaddServing_RefusesWithOneLineAndLeavesItRunning()
    {
        using var first = await OffloaddProcess.StartAsync();

        var second = await ChildProcess.RunAsync(
            RepositoryLayout.Offloadd, [$"--Management:SocketPath={first.SocketPath}"], OffloaddProcess.StartTimeout);

        Assert.True(second.ExitCode == 1, second.ToString());
        var line = Assert.Single(second.StandardErrorLines);
        Assert.Contains("is in use by another running offloadd", line, StringComparison.Ordinal);
        Assert.False(first.Process.HasExited);
        Assert.Equal(0, (await Offloadctl.RunAsync("status", "--socket", first.SocketPath)).ExitCode);
    }

    [Fact]
    public async Task PreparePath_PathIsARegularFile_RefusesAndDoesNotDeleteIt()
    {
        using var directory = new TempDirectory();
        var path = directory.File("precious.txt");
        await File.WriteAllTextAsync(path, "keep me");

        var result = await ChildProcess.RunAsync(
            RepositoryLayout.Offloadd, [$"--Management:SocketPath={path}"], OffloaddProcess.StartTimeout);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("exists and is not a socket", Assert.Single(result.StandardErrorLines), StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Socket_UnixClient_GetsJsonStatusOverHttp()
    {
        using var offloadd = await OffloaddProcess.StartAsync();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(offloadd.SocketPath));
        await using var stream = new NetworkStream(socket, ownsSocket: false);

        await stream.WriteAsync("GET /v1/status HTTP/1.1\r\nHost: offloadd\r\nConnection: close\r\n\r\n"u8.ToArray());
        using var reader = new StreamReader(stream);
        var response = await reader.ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 200 OK", response, StringComparison.Ordinal);
        Assert.Contains("application/json", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"schema\":\"offload.status/v1\"", response, StringComparison.Ordinal);
    }

    private static uint GroupOf(string path)
    {
        // `stat -c %g` is coreutils; keeps the test independent of offloadd's own native code.
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%g", path])
        {
            RedirectStandardOutput = true,
        })!;
        var text = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return uint.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
