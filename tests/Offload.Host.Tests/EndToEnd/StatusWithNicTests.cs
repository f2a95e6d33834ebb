using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.EndToEnd;

/// <summary>nic-fw, offloadd and offloadctl together: a NIC connected over the mailbox shows up in status.</summary>
public sealed class StatusWithNicTests
{
    private static readonly TimeSpan AppearTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Status_NicFwConnectedOverTcp_ShowsBoardFirmwareProtocolAndRtt()
    {
        var port = FreeTcpPort();
        using var nic = await NicFwProcess.StartAsync(
            "--Nic:BoardId=qemu-7", "--Nic:FirmwareVersion=9.8.7",
            $"--Mailbox:Endpoint=127.0.0.1:{port}");
        using var offloadd = await OffloaddProcess.StartAsync(null, $"--Mailbox:Endpoints:0=tcp://127.0.0.1:{port}");

        var nicJson = await WaitForNicWithRttAsync(offloadd, nic);

        Assert.Equal("qemu-7", nicJson.GetProperty("boardId").GetString());
        Assert.Equal("9.8.7", nicJson.GetProperty("firmwareVersion").GetString());
        Assert.True(nicJson.GetProperty("protocolVersion").GetInt32() >= 1);
        Assert.Equal($"tcp://127.0.0.1:{port}", nicJson.GetProperty("endpoint").GetString());
        Assert.True(nicJson.GetProperty("heartbeatRttMs").GetDouble() >= 0);

        var text = await Offloadctl.RunAsync("status", "--socket", offloadd.SocketPath);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("NICs: 1 connected", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("qemu-7", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("9.8.7", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(" ms", text.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Two processes over the shared-memory ring: nic-fw maps and offers the ring file, offloadd maps it.</summary>
    [Fact]
    public async Task Status_NicFwConnectedOverSharedMemory_ShowsBoardAndRttAndLeavesNoRingFile()
    {
        using var directory = new TempDirectory();
        string endpoint = $"shm://{directory.File("nic.sock")}";
        using var nic = await NicFwProcess.StartAsync("--Nic:BoardId=shm-1", $"--Mailbox:Endpoint={endpoint}", "--Mailbox:SharedMemoryRingSize=262144");
        using var offloadd = await OffloaddProcess.StartAsync(null, $"--Mailbox:Endpoints:0={endpoint}");

        var nicJson = await WaitForNicWithRttAsync(offloadd, nic);

        Assert.Equal("shm-1", nicJson.GetProperty("boardId").GetString());
        Assert.Equal(endpoint, nicJson.GetProperty("endpoint").GetString());
        Assert.Equal(["nic.sock"], Directory.GetFiles(directory.Path).Select(Path.GetFileName));
    }

    /// <summary>A real nic-fw with the NVMe target (so its telemetry thread runs) reports its CPU and its telemetry
    /// thread's in every flow metadata period; <c>offloadctl nics</c> shows both, in JSON and as text.</summary>
    [Fact]
    public async Task Nics_NicFwWithTarget_ShowsItsCpuAndTelemetryCpu()
    {
        var port = FreeTcpPort();
        using var nic = await NicFwProcess.StartAsync(
            "--Nic:BoardId=cpu-1", $"--Mailbox:Endpoint=127.0.0.1:{port}", "--Nvme:Listen=127.0.0.1:0");
        using var offloadd = await OffloaddProcess.StartAsync(null, $"--Mailbox:Endpoints:0=tcp://127.0.0.1:{port}");

        var nicJson = await WaitForNicAsync(offloadd, nic, "nics", "telemetry CPU",
            n => n.TryGetProperty("telemetryCpuPercent", out var t) && t.ValueKind == JsonValueKind.Number);

        Assert.InRange(nicJson.GetProperty("telemetryCpuPercent").GetDouble(), 0.0001, 100); // one thread: at most a whole core
        Assert.True(nicJson.GetProperty("cpuPercent").GetDouble() >= 0, nicJson.ToString());

        var text = await Offloadctl.RunAsync("nics", "--socket", offloadd.SocketPath);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("Telemetry CPU", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("%", text.StandardOutput, StringComparison.Ordinal);
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <c>offloadctl status --json</c> until the one NIC is listed with an answered heartbeat (handshake
    /// done, RTT measured); its JSON.</summary>
    private static Task<JsonElement> WaitForNicWithRttAsync(OffloaddProcess offloadd, NicFwProcess nic) =>
        WaitForNicAsync(offloadd, nic, "status", "an RTT", n => n.GetProperty("heartbeatRttMs").ValueKind == JsonValueKind.Number);

    /// <summary>Polls <c>offloadctl COMMAND --json</c> until its one NIC satisfies <paramref name="ready"/>; its JSON.</summary>
    private static async Task<JsonElement> WaitForNicAsync(OffloaddProcess offloadd, NicFwProcess nic, string command, string what, Func<JsonElement, bool> ready)
    {
        var deadline = DateTime.UtcNow + AppearTimeout;
        while (true)
        {
            var poll = await Offloadctl.RunAsync(command, "--json", "--socket", offloadd.SocketPath);
            Assert.True(poll.ExitCode == 0, poll.ToString());
            using var document = JsonDocument.Parse(poll.StandardOutput);
            var nics = document.RootElement.GetProperty("nics");
            if (nics.GetArrayLength() == 1 && ready(nics[0]))
            {
                return nics[0].Clone();
            }

            Assert.True(DateTime.UtcNow < deadline, $"NIC did not appear with {what} within {AppearTimeout}: {poll.StandardOutput}\n{offloadd.Process.Describe()}\n{nic.Process.Describe()}");
            await Task.Delay(250);
        }
    }
}
