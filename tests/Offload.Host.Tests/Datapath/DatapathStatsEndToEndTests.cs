using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Offload.Contracts.Management;
using Offload.Testing.Processes;
using static Offload.Host.Tests.Switching.EthernetFrames;
using static Offload.Host.Tests.Switching.LearningSwitchEndToEndTests;

namespace Offload.Host.Tests.Datapath;

/// <summary>
/// DatapathStats (51) from a real nic-fw to a real offloadd, read back from <c>GET /v1/datapath</c> on the management
/// socket: per-port counters, drops per reason, upcall counters and lookups.
/// </summary>
public sealed class DatapathStatsEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GetDatapath_NicReportsEvery100Ms_PortsDropsAndUpcallsVisible()
    {
        using var hostA = Bound();
        using var hostB = Bound();
        int port1 = FreeUdpPort(), port2 = FreeUdpPort();
        using var directory = new TempDirectory();
        string mailbox = directory.File("nic.sock");
        using var nic = await NicFwProcess.StartAsync(
            $"--Mailbox:Endpoint=unix://{mailbox}", "--Nic:BoardId=dp-stats-0", "--Datapath:StatsPeriodMilliseconds=100",
            "--Datapath:Ports:0:No=1", "--Datapath:Ports:0:Kind=udp",
            $"--Datapath:Ports:0:Listen=127.0.0.1:{port1}", $"--Datapath:Ports:0:Peer={hostA.LocalEndPoint}",
            "--Datapath:Ports:1:No=2", "--Datapath:Ports:1:Kind=udp",
            $"--Datapath:Ports:1:Listen=127.0.0.1:{port2}", $"--Datapath:Ports:1:Peer={hostB.LocalEndPoint}");
        using var offloadd = await OffloaddProcess.StartAsync(null, $"--Mailbox:Endpoints:0=unix://{mailbox}");
        using var http = ManagementClient(offloadd.SocketPath);
        string Logs() => $"\n{offloadd.Process.Describe()}\n{nic.Process.Describe()}";
        var nicPort1 = new IPEndPoint(IPAddress.Loopback, port1);

        // A -> unknown B: an upcall, flooded to port 2 (resent until the mailbox session is up); then a runt frame.
        var buffer = new byte[2048];
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            await hostA.SendToAsync(Udp(HostB, HostA, marker: 1), nicPort1);
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await hostB.ReceiveAsync(buffer, SocketFlags.None, attempt.Token);
                break;
            }
            catch (OperationCanceledException)
            {
                Assert.True(DateTime.UtcNow < deadline, $"no frame crossed nic-fw{Logs()}");
            }
        }

        await hostA.SendToAsync(new byte[10], nicPort1);

        DatapathNicDocument? seen = null;
        while (seen is not { Drops.Count: > 0 } || seen.Ports[1].TxPackets == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"GET /v1/datapath never showed the traffic: {System.Text.Json.JsonSerializer.Serialize(seen, ManagementJsonContext.Default.DatapathNicDocument!)}{Logs()}");
            await Task.Delay(100);
            var document = await http.GetFromJsonAsync(ManagementApi.DatapathRoute, ManagementJsonContext.Default.DatapathDocument);
            Assert.NotNull(document);
            Assert.Equal(ManagementApi.DatapathSchema, document.Schema);
            seen = document.Nics.SingleOrDefault();
        }

        Assert.Equal("dp-stats-0", seen.BoardId);
        Assert.Equal(100u, seen.PeriodMs);
        Assert.Equal([1u, 2u], seen.Ports.Select(p => p.Port));
        Assert.StartsWith("udp:", seen.Ports[0].Name, StringComparison.Ordinal);
        Assert.True(seen.Ports[0].RxPackets >= 2, $"port 1 rx {seen.Ports[0].RxPackets}");
        Assert.True(seen.Ports[0].RxBytes >= 60 + 10);
        Assert.True(seen.Ports[1].TxBytes >= 60);
        Assert.Equal(DatapathDropCodeOf(seen, "malformed"), seen.DropTotals["malformed"]);
        Assert.True(seen.DropTotals["malformed"] >= 1);
        Assert.True(seen.Upcalls.Sent >= 1);
        Assert.True(seen.Lookups.Misses >= 1);
        Assert.True(seen.Flows.Count + seen.Flows.Expired >= 1, "the flood flow is installed (or already idled out after 1 s)");
        Assert.True(seen.SampledAt > DateTimeOffset.UtcNow.AddMinutes(-5));

        // The next report replaces it: the sample time moves on.
        var first = seen.SampledAt;
        await Task.Delay(500);
        var later = (await http.GetFromJsonAsync(ManagementApi.DatapathRoute, ManagementJsonContext.Default.DatapathDocument))!.Nics.Single();
        Assert.True(later.SampledAt > first);
    }

    private static ulong DatapathDropCodeOf(DatapathNicDocument nic, string reason) =>
        (ulong)nic.Drops.Where(d => d.Reason == reason).Sum(d => (decimal)d.Count);

    private static HttpClient ManagementClient(string socketPath) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, token) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        BaseAddress = new Uri("http://offloadd/"),
    };
}
