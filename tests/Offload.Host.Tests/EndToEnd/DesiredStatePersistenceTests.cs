using System.Net;
using System.Text.RegularExpressions;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Testing.Processes;
using static Offload.Host.Tests.EndToEnd.StateHarness;

namespace Offload.Host.Tests.EndToEnd;

/// <summary>The desired state survives kill -9 of offloadd, is re-applied in order to a restarted nic-fw, and a corrupt
/// state file stops offloadd with one line while the last good copy is kept.</summary>
public sealed partial class DesiredStatePersistenceTests
{
    [Fact]
    public async Task Persistence_ApplyKill9RestartThenNicRestart_StateIdenticalReappliedInOrderDiffEmpty()
    {
        using var directory = new TempDirectory();
        var file = directory.File("desired.json");
        await File.WriteAllTextAsync(file, SampleState);
        var socket = directory.File("o.sock");
        var port = FreeTcpPort();
        var nvmePort = FreeTcpPort();
        string[] args = [$"--Mailbox:Endpoints:0=tcp://127.0.0.1:{port}", $"--State:Path={directory.File("state.json")}", $"--State:AuditLogPath={directory.File("audit.jsonl")}"];

        var nic = await StartNicAsync(port, nvmePort);
        try
        {
            string before;
            using (var first = await OffloaddProcess.StartAsync(socket, args))
            {
                await WaitForNicAsync(socket);
                await CtlAsync(socket, 0, "apply", "-f", file);
                await nic.Process.WaitForOutputAsync("Subsystem nqn.2026-01.io.offload:e2e set: 1 namespaces", StepTimeout);
                before = await GetStateAsync(socket);
                Assert.True(first.Process.Signal(UnixSignal.Kill));
                await first.Process.WaitForExitAsync(StepTimeout);
            }

            using var second = await OffloaddProcess.StartAsync(socket, args);
            Assert.Equal(before, await GetStateAsync(socket));
            Assert.Contains("no differences from revision 1", (await CtlAsync(socket, 0, "diff", "-f", file)).StandardOutput, StringComparison.Ordinal);
            await WaitForCountAsync(second.Process, "Desired state revision 1 applied to", 2); // startup, then the NIC's session
            var setsBefore = Count(nic.Process.StandardOutput, "Subsystem nqn.2026-01.io.offload:e2e set");

            // restart nic-fw: its runtime subsystems are gone; offloadd re-applies everything in dependency order
            Assert.Equal(0, await nic.StopAsync());
            nic.Dispose();
            nic = await StartNicAsync(port, nvmePort);
            await nic.Process.WaitForOutputAsync("Subsystem nqn.2026-01.io.offload:e2e set: 1 namespaces, allow any host False, 1 allowed hosts (desired state revision 1)", StepTimeout);
            await WaitForCountAsync(second.Process, "Desired state revision 1 applied to", 3);

            var log = second.Process.StandardOutput;
            var lastApply = log.LastIndexOf("Applying desired state revision 1", StringComparison.Ordinal);
            Assert.Contains("(NIC connected)", log[lastApply..], StringComparison.Ordinal);
            var steps = StepRegex().Matches(log[lastApply..]).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal([1, 2, 3, 4, 5], steps[..5]);
            Assert.Contains("step 1 subsystems, namespaces, allow-lists: 1 set", log[lastApply..], StringComparison.Ordinal);
            Assert.Contains("step 2 tenants: 2 SLAs", log[lastApply..], StringComparison.Ordinal);
            Assert.Contains("step 3 pinned rates: 1 pinned", log[lastApply..], StringComparison.Ordinal);
            Assert.Contains("step 4 flow rules: 1 static flows", log[lastApply..], StringComparison.Ordinal);
            Assert.True(Count(nic.Process.StandardOutput, "Subsystem nqn.2026-01.io.offload:e2e set") >= 1 && setsBefore >= 1);
            Assert.Contains("no differences from revision 1", (await CtlAsync(socket, 0, "diff", "-f", file)).StandardOutput, StringComparison.Ordinal);
            Assert.Equal(before, await GetStateAsync(socket));

            // the restarted NIC really serves the re-applied subsystem: the allowed host connects and does I/O to
            // namespace 1, any other host is refused by the allow-list
            var endpoint = new IPEndPoint(IPAddress.Loopback, nvmePort);
            using var admin = new HostInitiator(endpoint);
            admin.Initialize();
            admin.ConnectAndEnable("nqn.2026-01.io.offload:e2e");
            using var io = new HostInitiator(endpoint);
            io.Initialize();
            Assert.True(io.Connect("nqn.2026-01.io.offload:e2e", qid: 1, cntlid: admin.ControllerId).Status.IsSuccess);
            var data = new byte[512];
            Random.Shared.NextBytes(data);
            Assert.True(io.Write(1, 7, data, 512, inCapsule: true).Status.IsSuccess);
            var back = new byte[512];
            Assert.True(io.Read(1, 7, back, 512).Status.IsSuccess);
            Assert.Equal(data, back);
            using var stranger = new HostInitiator(endpoint);
            stranger.Initialize();
            Assert.Equal(NvmeStatus.ConnectInvalidHost, stranger.Connect("nqn.2026-01.io.offload:e2e", hostNqn: "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000ff").Status);
        }
        finally
        {
            nic.Dispose();
        }
    }

    [Fact]
    public async Task Startup_CorruptStateFile_ExitsWithOneLineNamingFileAndBackupIsKept()
    {
        using var directory = new TempDirectory();
        var statePath = directory.File("state.json");
        var file = directory.File("desired.json");
        await File.WriteAllTextAsync(file, SampleState);
        string[] args = [$"--Management:SocketPath={directory.File("o.sock")}", $"--Mailbox:Endpoints:0=unix://{directory.File("none")}",
            $"--State:Path={statePath}", $"--State:AuditLogPath={directory.File("audit.jsonl")}"];
        using (var offloadd = await OffloaddProcess.StartAsync(directory.File("o.sock"), args[1..]))
        {
            await CtlAsync(offloadd.SocketPath, 0, "apply", "-f", file);
            await CtlAsync(offloadd.SocketPath, 0, "tenants", "remove", "gold"); // revision 2; revision 1 becomes the .bak
            Assert.Equal(0, await offloadd.StopAsync());
        }

        var backup = await File.ReadAllBytesAsync(statePath + ".bak");
        Assert.Contains("\"revision\":1", System.Text.Encoding.UTF8.GetString(backup), StringComparison.Ordinal);
        await File.WriteAllTextAsync(statePath, "{\"schema\":\"offload.state/v1\",\"revision\":2,\"tenants\":[{\"name\":");

        var refused = await ChildProcess.RunAsync(RepositoryLayout.Offloadd, args, OffloaddProcess.StartTimeout);

        Assert.Equal(65, refused.ExitCode);
        var line = Assert.Single(refused.StandardErrorLines);
        Assert.StartsWith($"offloadd: state file {statePath} is corrupt: invalid JSON at line 1", line, StringComparison.Ordinal);
        Assert.Contains($"the last good copy {statePath}.bak was kept: restore it (cp {statePath}.bak {statePath})", line, StringComparison.Ordinal);
        Assert.Equal(backup, await File.ReadAllBytesAsync(statePath + ".bak"));

        // the documented recovery: restore the last good copy
        File.Copy(statePath + ".bak", statePath, overwrite: true);
        using var restored = await OffloaddProcess.StartAsync(directory.File("o.sock"), args[1..]);
        var tenants = await CtlJsonAsync(restored.SocketPath, "tenants", "list");
        Assert.Equal(1, tenants.GetProperty("revision").GetInt64());
        Assert.Equal(2, tenants.GetProperty("tenants").GetArrayLength());
    }

    [Fact]
    public async Task Startup_StateFileWithInvalidValue_ExitsNamingTheObject()
    {
        using var directory = new TempDirectory();
        var statePath = directory.File("state.json");
        await File.WriteAllTextAsync(statePath, """{"schema":"offload.state/v1","revision":3,"tenants":[{"name":"gold","application":1,"weight":-2}]}""");

        var refused = await ChildProcess.RunAsync(RepositoryLayout.Offloadd,
            [$"--Management:SocketPath={directory.File("o.sock")}", $"--State:Path={statePath}", $"--State:AuditLogPath={directory.File("a.jsonl")}"],
            OffloaddProcess.StartTimeout);

        Assert.Equal(65, refused.ExitCode);
        var line = Assert.Single(refused.StandardErrorLines);
        Assert.Contains($"state file {statePath} is corrupt: tenant 'gold': weight -2 is out of range", line, StringComparison.Ordinal);
        Assert.Contains("fix or remove the file", line, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"to tcp://[^:]+:\d+: step (\d) ")]
    private static partial Regex StepRegex();
}
