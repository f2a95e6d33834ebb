using Offload.Emulation.Scenarios;

namespace Offload.Emulation.Tests.Scenarios;

public sealed class GuestPairScenarioTests
{
    [Fact]
    public void Server_PeerAddress_WaitsPingsThenServesOnce()
    {
        var script = GuestPairScenario.Server("10.0.3.2");

        Assert.Equal("step reach wait_for_ping 10.0.3.2\nstep ping ping -c 3 10.0.3.2\nstep iperf-server timeout 150 iperf3 -s -1\n", script);
    }

    [Fact]
    public void Client_ServerAddress_RetriesIperfClient()
    {
        Assert.EndsWith("step iperf-client retry 30 iperf3 -c 10.0.3.1 -t 5\n", GuestPairScenario.Client("10.0.3.1", 5), StringComparison.Ordinal);
    }
}
