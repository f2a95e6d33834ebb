using System.Text.RegularExpressions;
using Offload.Testing.Network;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.NicFw.Datapath;

/// <summary>
/// nic-fw's <c>tap</c> and <c>afpacket</c> ports from configuration, against real kernels: nic-fw runs inside a network
/// namespace the test makes, with its LOCAL port a TAP device (10.97.0.1, the NIC's own IP stack) and a second port an
/// AF_PACKET socket on a veth whose peer sits in another namespace (10.97.0.2, a "host" behind the port). offloadd's
/// learning switch installs the flows. Needs root, iproute2 and python3.
/// </summary>
public sealed class KernelPortsEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TapAndAfPacketPorts_FromConfiguration_KernelOnEachSideReachesTheOtherThroughNicFw()
    {
        using var nicSpace = new NetworkNamespace();
        using var hostSpace = new NetworkNamespace();
        using var directory = new TempDirectory();
        string tap = $"offl{Random.Shared.Next(1000)}", veth = $"kpva{Random.Shared.Next(1000)}", peer = $"kpvb{Random.Shared.Next(1000)}";
        nicSpace.Exec("ip", $"link add {veth} type veth peer name {peer} netns {hostSpace.Name}");
        nicSpace.Exec("ip", $"link set {veth} up");
        hostSpace.Exec("ip", $"addr add 10.97.0.2/24 dev {peer}");
        hostSpace.Exec("ip", $"link set {peer} up");
        string mailbox = directory.File("nic.sock");

        using var nic = ChildProcess.Start("ip", [
            "netns", "exec", nicSpace.Name, RepositoryLayout.NicFw, $"--Mailbox:Endpoint=unix://{mailbox}",
            "--Datapath:Ports:0:No=1", "--Datapath:Ports:0:Kind=tap", $"--Datapath:Ports:0:Interface={tap}",
            "--Datapath:Ports:1:No=2", "--Datapath:Ports:1:Kind=afpacket", $"--Datapath:Ports:1:Interface={veth}"]);
        await nic.WaitForOutputAsync(NicFwProcess.StartedText, OffloaddProcess.StartTimeout);
        nicSpace.Exec("ip", $"addr add 10.97.0.1/24 dev {tap}");
        nicSpace.Exec("ip", $"link set {tap} up");
        using var offloadd = await OffloaddProcess.StartAsync(null, $"--Mailbox:Endpoints:0=unix://{mailbox}", "--Logging:LogLevel:Offload.Host.Switching=Debug");
        string Logs() => $"\n{offloadd.Process.Describe()}\n{nic.Describe()}";

        // A TCP connect from the host namespace to a closed port of the NIC's stack: "refused" means ARP both ways and the
        // SYN/RST pair crossed the AF_PACKET and TAP ports (a timeout means they did not).
        var deadline = DateTime.UtcNow + Timeout;
        string answer;
        while ((answer = Connect(hostSpace, "10.97.0.1")) != "refused")
        {
            Assert.True(DateTime.UtcNow < deadline, $"10.97.0.1 not reached through nic-fw within {Timeout}: {answer}{Logs()}");
            await Task.Delay(500);
        }

        // ... and the other way, from the NIC's own stack to the host behind port 2.
        Assert.Equal("refused", Connect(nicSpace, "10.97.0.2"));
        Assert.Contains("Datapath port 1: tap", nic.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Datapath port 2: afpacket", nic.StandardOutput, StringComparison.Ordinal);

        // offloadd's console logger writes from its own queue: give the debug lines a moment to reach its stdout.
        var logged = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(Regex.IsMatch(offloadd.Process.StandardOutput, @"Upcall \d+ on port 2") && Regex.IsMatch(offloadd.Process.StandardOutput, @"Upcall \d+ on port 1"))
            && DateTime.UtcNow < logged)
        {
            await Task.Delay(100);
        }

        Assert.Matches(@"Upcall \d+ on port 2", offloadd.Process.StandardOutput);
        Assert.Matches(@"Upcall \d+ on port 1", offloadd.Process.StandardOutput);
    }

    private static string Connect(NetworkNamespace space, string address)
    {
        try
        {
            return space.Exec("python3", $"-c \"import socket\ntry:\n socket.create_connection(('{address}', 9), timeout=2); print('open')\nexcept ConnectionRefusedError: print('refused')\nexcept OSError as e: print(type(e).__name__)\"").Trim();
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    }
}
