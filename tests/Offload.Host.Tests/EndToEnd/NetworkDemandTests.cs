using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.EndToEnd;

/// <summary>
/// Network-wide reporting with two real nic-fw processes (two nodes, each with its NVMe/TCP target) and one offloadd
/// acting as the network controller: a tenant reading on both nodes and a tenant reading on one appear in
/// <c>GET /v1/network/demand</c> with their demand summed across nodes.
/// </summary>
public sealed class NetworkDemandTests
{
    private const string Nqn = "nqn.2026-01.io.offload:net-e2e";
    private const string Both = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000b0";
    private const string OnlyB = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000b1";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Demand_TwoNicFwNodes_TenantSummedAcrossNodes()
    {
        var (mailboxA, nvmeA, mailboxB, nvmeB) = (FreeTcpPort(), FreeTcpPort(), FreeTcpPort(), FreeTcpPort());
        using var nodeA = await StartNicAsync("node-a", mailboxA, nvmeA);
        using var nodeB = await StartNicAsync("node-b", mailboxB, nvmeB);
        using var offloadd = await OffloaddProcess.StartAsync(null,
            $"--Mailbox:Endpoints:0=tcp://127.0.0.1:{mailboxA}", $"--Mailbox:Endpoints:1=tcp://127.0.0.1:{mailboxB}",
            "--NetworkController:Enabled=true");
        using var http = UnixHttp(offloadd.SocketPath);
        using var stop = new CancellationTokenSource();
        var readers = new[]
        {
            Task.Run(() => Read(nvmeA, Both, stop.Token)),
            Task.Run(() => Read(nvmeB, Both, stop.Token)),
            Task.Run(() => Read(nvmeB, OnlyB, stop.Token)),
        };

        JsonElement root = default;
        try
        {
            var deadline = DateTime.UtcNow + Limit;
            while (true)
            {
                using var response = await http.GetAsync(new Uri("v1/network/demand", UriKind.Relative));
                string body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, body);
                using var doc = JsonDocument.Parse(body);
                root = doc.RootElement.Clone();
                if (Tenant(root, Both) is { } t && t.GetProperty("nodes").GetArrayLength() == 2 && t.GetProperty("readRate").GetDouble() > 0
                    && Tenant(root, OnlyB) is { } u && u.GetProperty("readRate").GetDouble() > 0)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"aggregate incomplete after {Limit}: {body}\n{offloadd.Process.Describe()}");
                Assert.DoesNotContain(readers, r => r.IsFaulted);
                await Task.Delay(200);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal("offload.network-demand/v1", root.GetProperty("schema").GetString());
        Assert.Equal(["node-a", "node-b"], root.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("node").GetString()));
        var both = Tenant(root, Both)!.Value;
        Assert.Equal(["node-a", "node-b"], both.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        var onlyB = Tenant(root, OnlyB)!.Value;
        Assert.Equal(["node-b"], onlyB.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        double nodeSum = root.GetProperty("nodes").EnumerateArray().Sum(n => n.GetProperty("readRate").GetDouble());
        double tenantSum = root.GetProperty("tenants").EnumerateArray().Sum(n => n.GetProperty("readRate").GetDouble());
        Assert.Equal(nodeSum, tenantSum, 3);
        Assert.Equal(nodeSum, root.GetProperty("totalReadRate").GetDouble(), 3);
    }

    private static JsonElement? Tenant(JsonElement root, string name)
    {
        foreach (var t in root.GetProperty("tenants").EnumerateArray())
        {
            if (t.GetProperty("tenant").GetString() == name)
            {
                return t;
            }
        }

        return null;
    }

    private static Task<NicFwProcess> StartNicAsync(string board, int mailboxPort, int nvmePort) => NicFwProcess.StartAsync(
        $"--Nic:BoardId={board}", $"--Mailbox:Endpoint=127.0.0.1:{mailboxPort}", $"--Nvme:Listen=127.0.0.1:{nvmePort}",
        $"--Nvme:Subsystems:0:Nqn={Nqn}", "--Nvme:Subsystems:0:AllowAnyHost=true",
        "--Nvme:Subsystems:0:Namespaces:0:Nsid=1", "--Nvme:Subsystems:0:Namespaces:0:Size=1048576");

    private static void Read(int nvmePort, string hostNqn, CancellationToken stop)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, nvmePort);
        using var admin = new HostInitiator(endpoint);
        admin.Initialize();
        admin.ConnectAndEnable(Nqn, hostNqn: hostNqn);
        using var io = new HostInitiator(endpoint);
        io.Initialize();
        Assert.True(io.Connect(Nqn, 1, 31, hostNqn: hostNqn, cntlid: admin.ControllerId).Status.IsSuccess);
        var data = new byte[4096];
        while (!stop.IsCancellationRequested)
        {
            var sqe = HostInitiator.Sqe(IoOpcode.Read, io.NextCid(), 1);
            HostInitiator.SetDword(sqe, 12, 7);
            Assert.True(io.Execute(sqe, readData: data).Status.IsSuccess);
        }
    }

    private static HttpClient UnixHttp(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://offloadd/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
