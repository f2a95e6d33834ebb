using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.EndToEnd;

/// <summary>Shared steps of the desired-state end-to-end tests (real nic-fw, offloadd and offloadctl processes).</summary>
internal static class StateHarness
{
    internal static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    internal static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>nic-fw with an NVMe target on <paramref name="nvmePort"/> (0 = ephemeral) and its mailbox on <paramref name="mailboxPort"/>.</summary>
    internal static Task<NicFwProcess> StartNicAsync(int mailboxPort, int nvmePort = 0) =>
        NicFwProcess.StartAsync("--Nic:BoardId=state-e2e", $"--Mailbox:Endpoint=127.0.0.1:{mailboxPort}", $"--Nvme:Listen=127.0.0.1:{nvmePort}");

    /// <summary>Runs offloadctl against <paramref name="socket"/>; asserts the exit code.</summary>
    internal static async Task<ProcessResult> CtlAsync(string socket, int expectedExit, params string[] arguments)
    {
        var result = await Offloadctl.RunAsync([.. arguments, "--socket", socket]);
        Assert.True(result.ExitCode == expectedExit, $"offloadctl {string.Join(' ', arguments)}: expected exit {expectedExit}, got {result}");
        return result;
    }

    /// <summary>Runs offloadctl with --json and parses stdout.</summary>
    internal static async Task<JsonElement> CtlJsonAsync(string socket, params string[] arguments)
    {
        var result = await CtlAsync(socket, 0, [.. arguments, "--json"]);
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }

    /// <summary>Waits until <paramref name="process"/> has printed <paramref name="text"/> at least <paramref name="count"/> times.</summary>
    internal static async Task WaitForCountAsync(ChildProcess process, string text, int count)
    {
        var deadline = DateTime.UtcNow + StepTimeout;
        while (Count(process.StandardOutput, text) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' did not appear {count} times within {StepTimeout}:\n{process.Describe()}");
            await Task.Delay(100);
        }
    }

    internal static int Count(string haystack, string needle)
    {
        var count = 0;
        for (var i = haystack.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = haystack.IndexOf(needle, i + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Waits until offloadd reports the NIC connected.</summary>
    internal static async Task WaitForNicAsync(string socket)
    {
        var deadline = DateTime.UtcNow + StepTimeout;
        while (true)
        {
            var status = await CtlJsonAsync(socket, "status");
            if (status.GetProperty("nics").GetArrayLength() == 1)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the NIC did not connect to offloadd in time");
            await Task.Delay(200);
        }
    }

    /// <summary><c>GET /v1/state</c> over the Unix socket, raw.</summary>
    internal static async Task<string> GetStateAsync(string socket)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), token);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://offloadd/") };
        return await http.GetStringAsync(new Uri("v1/state", UriKind.Relative));
    }

    internal const string SampleState = """
        {
          "schema": "offload.state/v1",
          "tenants": [
            { "name": "gold", "application": 1, "weight": 4, "reservation": 2000, "limit": null, "class": "latency-sensitive" },
            { "name": "bulk", "application": 2, "weight": 1, "reservation": 0, "limit": 5000, "class": "throughput" }
          ],
          "subsystems": [
            { "nqn": "nqn.2026-01.io.offload:e2e", "allowAnyHost": false, "hosts": [ "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-00000000000a" ],
              "namespaces": [ { "nsid": 1, "size": 1048576, "blockSize": 512, "path": null } ] }
          ],
          "pinnedRates": [ { "tenant": "bulk", "iops": 300, "bytesPerSecond": 0 } ],
          "flowRules": [ { "priority": 2000, "etherType": 2054, "actions": "flood" } ],
          "policy": { "enforce": true, "requireFlowMetadata": true }
        }
        """;
}
