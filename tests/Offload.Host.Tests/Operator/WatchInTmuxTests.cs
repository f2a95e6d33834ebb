using System.Text.RegularExpressions;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.Operator;

/// <summary>
/// <c>offloadctl watch</c> in a real terminal: a detached tmux session runs it against <see cref="OperatorRig"/>; the
/// test reads the screen with capture-pane, checks the tenant and its live figures are shown and change between two
/// captures, then presses q and expects the process to exit 0.
/// </summary>
public sealed partial class WatchInTmuxTests(OperatorRig rig) : IClassFixture<OperatorRig>
{
    private static readonly TimeSpan ScreenTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Watch_InTmux_ShowsLiveTenantsAndQuitsOnQ()
    {
        Assert.True(File.Exists("/usr/bin/tmux"), "tmux is required for this test: apt-get install -y tmux");
        using var directory = new TempDirectory();
        string server = "offload-watch-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
        string exitFile = directory.File("exit");
        string command = $"env OFFLOAD_SOCKET={rig.Offloadd.SocketPath} {RepositoryLayout.Offloadctl} watch; echo $? > {exitFile}; sleep 60";
        try
        {
            var start = await Tmux(server, "new-session", "-d", "-x", "180", "-y", "40", "-s", "watch", command);
            Assert.True(start.ExitCode == 0, start.ToString());

            string first = await WaitForScreenAsync(server, static s => TenantRow().IsMatch(s) && s.Contains("IOPS", StringComparison.Ordinal), rig);
            Assert.Contains("offloadctl watch", first, StringComparison.Ordinal);
            Assert.Contains(OperatorRig.BoardId, first, StringComparison.Ordinal);

            // Refreshes every second: a later screen differs (clock and live figures), and still shows the tenant.
            string second = await WaitForScreenAsync(server, s => s != first && TenantRow().IsMatch(s), rig);
            Assert.NotEqual(Header(first), Header(second));

            var quit = await Tmux(server, "send-keys", "-t", "watch", "q");
            Assert.Equal(0, quit.ExitCode);
            var deadline = DateTime.UtcNow + ScreenTimeout;
            while (!File.Exists(exitFile) || File.ReadAllText(exitFile).Trim().Length == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "watch did not exit after q:\n" + await CaptureAsync(server));
                await Task.Delay(200);
            }

            Assert.Equal("0", File.ReadAllText(exitFile).Trim());

            // Ctrl-C quits too, also with exit 0.
            string interruptedFile = directory.File("exit-ctrl-c");
            string again = $"env OFFLOAD_SOCKET={rig.Offloadd.SocketPath} {RepositoryLayout.Offloadctl} watch; echo $? > {interruptedFile}; sleep 60";
            Assert.Equal(0, (await Tmux(server, "new-window", "-t", "watch", again)).ExitCode);
            await WaitForScreenAsync(server, static s => TenantRow().IsMatch(s), rig);
            Assert.Equal(0, (await Tmux(server, "send-keys", "-t", "watch", "C-c")).ExitCode);
            deadline = DateTime.UtcNow + ScreenTimeout;
            while (!File.Exists(interruptedFile) || File.ReadAllText(interruptedFile).Trim().Length == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "watch did not exit after Ctrl-C:\n" + await CaptureAsync(server));
                await Task.Delay(200);
            }

            Assert.Equal("0", File.ReadAllText(interruptedFile).Trim());
        }
        finally
        {
            await Tmux(server, "kill-server");
        }
    }

    private static async Task<string> WaitForScreenAsync(string server, Func<string, bool> ready, OperatorRig rig)
    {
        var deadline = DateTime.UtcNow + ScreenTimeout;
        string screen = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            screen = await CaptureAsync(server);
            if (ready(screen))
            {
                return screen;
            }

            await Task.Delay(300);
        }

        Assert.Fail("the watch screen never showed what was expected:\n" + screen + rig.Logs);
        return screen;
    }

    private static async Task<string> CaptureAsync(string server) =>
        (await Tmux(server, "capture-pane", "-p", "-t", "watch")).StandardOutput;

    private static string Header(string screen) =>
        screen.Split('\n').FirstOrDefault(l => l.Contains("offloadctl watch", StringComparison.Ordinal)) ?? string.Empty;

    private static Task<ProcessResult> Tmux(string server, params string[] arguments) =>
        ChildProcess.RunAsync("/usr/bin/tmux", ["-L", server, .. arguments], TimeSpan.FromMinutes(1));

    // A tenant row: board, app label, then an IOPS figure.
    [GeneratedRegex(@"ops-rig\s*│\s*app\d+\s*│\s*\d+")]
    private static partial Regex TenantRow();
}
