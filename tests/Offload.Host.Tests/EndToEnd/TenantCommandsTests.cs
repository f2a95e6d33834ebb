using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.EndToEnd;

/// <summary>
/// Real nic-fw (with its NVMe/TCP target) and real offloadd over a TCP mailbox; a real initiator reads as one tenant,
/// then disconnects. offloadctl explain shows the controller's decisions about it in words and as JSON, history shows
/// the rollup stored in the SQLite file when it left, and an unknown tenant is one line and exit 1.
/// </summary>
public sealed class TenantCommandsTests
{
    private const string Nqn = "nqn.2026-01.io.offload:tenant-e2e";
    private const string Tenant = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000e2";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ExplainAndHistory_TenantReadsThenLeaves_DecisionsAndStoredRollupShown()
    {
        int mailboxPort = FreeTcpPort();
        int nvmePort = FreeTcpPort();
        using var dir = new TempDirectory();
        string db = dir.File("history.db");
        using var nic = await NicFwProcess.StartAsync(
            $"--Mailbox:Endpoint=127.0.0.1:{mailboxPort}", $"--Nvme:Listen=127.0.0.1:{nvmePort}",
            $"--Nvme:Subsystems:0:Nqn={Nqn}", "--Nvme:Subsystems:0:AllowAnyHost=true",
            "--Nvme:Subsystems:0:Namespaces:0:Nsid=1", "--Nvme:Subsystems:0:Namespaces:0:Size=1048576");
        using var offloadd = await OffloaddProcess.StartAsync(null, $"--Mailbox:Endpoints:0=tcp://127.0.0.1:{mailboxPort}", $"--History:Path={db}");
        await WaitForNicAsync(offloadd);

        await ReadAsTenantAsync(nvmePort, TimeSpan.FromSeconds(2));

        // Decisions about the tenant, including its release once its queues are gone.
        JsonElement decisions = default;
        await PollAsync(async () =>
        {
            var r = await Offloadctl.RunAsync("explain", Tenant, "-n", "50", "--json", "--socket", offloadd.SocketPath);
            if (r.ExitCode != 0)
            {
                return false;
            }

            using var doc = JsonDocument.Parse(r.StandardOutput);
            decisions = doc.RootElement.GetProperty("decisions").Clone();
            Assert.Equal("offload.explain/v1", doc.RootElement.GetProperty("schema").GetString());
            return decisions.EnumerateArray().Any(d => d.GetProperty("rule").GetString() == "Released");
        }, offloadd, nic);
        var first = decisions[0];
        Assert.Equal($"tcp://127.0.0.1:{mailboxPort}", first.GetProperty("nic").GetString());
        Assert.True(first.GetProperty("newRate").GetDouble() >= 0);
        Assert.Contains("rate", first.GetProperty("text").GetString(), StringComparison.Ordinal);

        var text = await Offloadctl.RunAsync("explain", Tenant, "--socket", offloadd.SocketPath);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("because it disconnected and its rate was released", text.StandardOutput, StringComparison.Ordinal);

        // The rollup written when it left is in the SQLite file and predicts its return.
        using (var history = JsonDocument.Parse((await RunOkAsync("history", Tenant, "--json", "--socket", offloadd.SocketPath)).StandardOutput))
        {
            var root = history.RootElement;
            Assert.Equal("offload.history/v1", root.GetProperty("schema").GetString());
            Assert.Equal(db, root.GetProperty("database").GetString());
            var rollup = Assert.Single(root.GetProperty("rollups").EnumerateArray());
            Assert.Equal("minute", rollup.GetProperty("resolution").GetString());
            Assert.True(rollup.GetProperty("peakRate").GetDouble() > 0);
            Assert.True(rollup.GetProperty("readFraction").GetDouble() > 0.99);
            Assert.True(root.GetProperty("prediction").GetProperty("predictedPeakRate").GetDouble() > 0);
        }

        Assert.True(new FileInfo(db).Length > 0);
        var historyText = await RunOkAsync("history", Tenant, "--socket", offloadd.SocketPath);
        Assert.Contains("Predicted demand on return:", historyText.StandardOutput, StringComparison.Ordinal);

        var unknown = await Offloadctl.RunAsync("explain", "nqn.2026-01.io.offload:nobody", "--socket", offloadd.SocketPath);
        Assert.Equal(1, unknown.ExitCode);
        var line = Assert.Single(unknown.StandardErrorLines);
        Assert.Contains("tenant 'nqn.2026-01.io.offload:nobody' is unknown", line, StringComparison.Ordinal);
        Assert.Equal(1, (await Offloadctl.RunAsync("history", "nqn.2026-01.io.offload:nobody", "--socket", offloadd.SocketPath)).ExitCode);
        Assert.Equal(2, (await Offloadctl.RunAsync("explain", "--socket", offloadd.SocketPath)).ExitCode);
    }

    private static async Task ReadAsTenantAsync(int nvmePort, TimeSpan duration)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, nvmePort);
        using var admin = new HostInitiator(endpoint);
        admin.Initialize();
        admin.ConnectAndEnable(Nqn, hostNqn: Tenant);
        using var io = new HostInitiator(endpoint);
        io.Initialize();
        Assert.True(io.Connect(Nqn, 1, 31, hostNqn: Tenant, cntlid: admin.ControllerId).Status.IsSuccess);
        var data = new byte[4096];
        await Task.Run(() =>
        {
            var until = DateTime.UtcNow + duration;
            while (DateTime.UtcNow < until)
            {
                var sqe = HostInitiator.Sqe(IoOpcode.Read, io.NextCid(), 1);
                HostInitiator.SetDword(sqe, 12, 7);
                Assert.True(io.Execute(sqe, readData: data).Status.IsSuccess);
            }
        });
    }

    private static async Task WaitForNicAsync(OffloaddProcess offloadd) => await PollAsync(async () =>
    {
        var r = await Offloadctl.RunAsync("status", "--json", "--socket", offloadd.SocketPath);
        using var doc = JsonDocument.Parse(r.StandardOutput);
        return doc.RootElement.GetProperty("nics").GetArrayLength() == 1;
    }, offloadd, null);

    private static async Task PollAsync(Func<Task<bool>> condition, OffloaddProcess offloadd, NicFwProcess? nic)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {Limit}\n{offloadd.Process.Describe()}\n{nic?.Process.Describe()}");
            await Task.Delay(200);
        }
    }

    private static async Task<ProcessResult> RunOkAsync(params string[] args)
    {
        var r = await Offloadctl.RunAsync(args);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
