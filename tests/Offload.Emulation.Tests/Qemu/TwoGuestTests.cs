using System.Net;
using System.Net.Sockets;
using Offload.Emulation.Qemu;
using Offload.Emulation.Scenarios;

namespace Offload.Emulation.Tests.Qemu;

/// <summary>Two guests wired back to back through QEMU socket netdevs (no switch): a self-test of the plumbing.</summary>
[Collection(GuestCollection.Name)]
public sealed class TwoGuestTests(GuestImageFixture fixture)
{
    [Fact]
    public async Task RunAsync_StreamNetdevPair_GuestsPingAndPassIperf3Stream()
    {
        var port = FreeTcpPort();
        var server = QemuRunner.RunAsync(new GuestMachineOptions(fixture.Image)
        {
            Name = "stream-a",
            Network = GuestNetwork.StreamServer(port, "10.0.3.1/24"),
            MacAddress = "52:54:00:00:03:01",
            Scenario = GuestPairScenario.Server("10.0.3.2"),
            Timeout = TimeSpan.FromMinutes(4),
        });
        Assert.True(await TcpListenerProbe.WaitForListenerAsync(port, TimeSpan.FromSeconds(30)), "QEMU stream server never listened");
        var client = QemuRunner.RunAsync(new GuestMachineOptions(fixture.Image)
        {
            Name = "stream-b",
            Network = GuestNetwork.StreamClient(port, "10.0.3.2/24"),
            MacAddress = "52:54:00:00:03:02",
            Scenario = GuestPairScenario.Client("10.0.3.1"),
            Timeout = TimeSpan.FromMinutes(4),
        });

        var a = await server;
        var b = await client;

        Assert.True(a.Done, a.Describe());
        Assert.True(b.Done, b.Describe());
        Assert.True(a.Step(GuestPairScenario.Ping)?.ExitCode == 0, a.Describe());
        Assert.True(b.Step(GuestPairScenario.Ping)?.ExitCode == 0, b.Describe());
        Assert.True(a.Step(GuestPairScenario.IperfServer)?.ExitCode == 0, a.Describe());
        var iperf = b.Step(GuestPairScenario.IperfClient);
        Assert.True(iperf?.ExitCode == 0, b.Describe());
        Assert.Contains("receiver", iperf.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DatagramNetdevPair_GuestsPing()
    {
        var (portA, portB) = (FreeUdpPort(), FreeUdpPort());
        var first = QemuRunner.RunAsync(new GuestMachineOptions(fixture.Image)
        {
            Name = "dgram-a",
            Network = GuestNetwork.Datagram(portA, portB, "10.0.4.1/24"),
            MacAddress = "52:54:00:00:04:01",
            Scenario = "step reach wait_for_ping 10.0.4.2\nstep ping ping -c 3 10.0.4.2\n",
            Timeout = TimeSpan.FromMinutes(3),
        });
        var second = QemuRunner.RunAsync(new GuestMachineOptions(fixture.Image)
        {
            Name = "dgram-b",
            Network = GuestNetwork.Datagram(portB, portA, "10.0.4.2/24"),
            MacAddress = "52:54:00:00:04:02",
            Scenario = "step reach wait_for_ping 10.0.4.1\nstep ping ping -c 3 10.0.4.1\n",
            Timeout = TimeSpan.FromMinutes(3),
        });

        var a = await first;
        var b = await second;

        Assert.True(a.Step(GuestPairScenario.Ping)?.ExitCode == 0, a.Describe());
        Assert.True(b.Step(GuestPairScenario.Ping)?.ExitCode == 0, b.Describe());
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int FreeUdpPort()
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }
}
