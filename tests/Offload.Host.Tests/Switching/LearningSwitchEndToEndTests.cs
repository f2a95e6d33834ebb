using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Offload.Testing.Processes;
using static Offload.Host.Tests.Switching.EthernetFrames;

namespace Offload.Host.Tests.Switching;

/// <summary>
/// Real nic-fw (datapath with two UDP ports) and real offloadd (learning switch) over the real mailbox. The test plays
/// two hosts: A behind port 1 and B behind port 2, each a UDP socket at the port's peer address.
/// </summary>
public sealed partial class LearningSwitchEndToEndTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Frames_ThroughNicFwAndOffloadd_FloodThenLearnThenForwardWithoutUpcallsAndStaticRuleDrops()
    {
        using var hostA = Bound();
        using var hostB = Bound();
        using var hostC = Bound();
        int port1 = FreeUdpPort(), port2 = FreeUdpPort(), port3 = FreeUdpPort(), mailbox = FreeTcpPort();
        var nicPort1 = new IPEndPoint(IPAddress.Loopback, port1);
        var nicPort2 = new IPEndPoint(IPAddress.Loopback, port2);
        var nicPort3 = new IPEndPoint(IPAddress.Loopback, port3);

        using var nic = await NicFwProcess.StartAsync(
            $"--Mailbox:Endpoint=127.0.0.1:{mailbox}",
            "--Datapath:Ports:0:No=1", "--Datapath:Ports:0:Kind=udp",
            $"--Datapath:Ports:0:Listen=127.0.0.1:{port1}", $"--Datapath:Ports:0:Peer={hostA.LocalEndPoint}",
            "--Datapath:Ports:1:No=2", "--Datapath:Ports:1:Kind=udp",
            $"--Datapath:Ports:1:Listen=127.0.0.1:{port2}", $"--Datapath:Ports:1:Peer={hostB.LocalEndPoint}",
            "--Datapath:Ports:2:No=3", "--Datapath:Ports:2:Kind=udp",
            $"--Datapath:Ports:2:Listen=127.0.0.1:{port3}", $"--Datapath:Ports:2:Peer={hostC.LocalEndPoint}");
        using var offloadd = await OffloaddProcess.StartAsync(null,
            $"--Mailbox:Endpoints:0=tcp://127.0.0.1:{mailbox}", "--Logging:LogLevel:Offload.Host.Switching=Debug",
            "--Switching:Rules:0:InPort=3", "--Switching:Rules:0:EthDst=02:00:00:00:00:0a", "--Switching:Rules:0:Actions=drop");
        string Logs() => $"\n{offloadd.Process.Describe()}\n{nic.Process.Describe()}";

        // 1. A -> B, B unknown: flooded to ports 2 and 3 (retried until the mailbox session is up; before that the held
        //    packet times out on the NIC).
        var first = await SendUntilReceivedAsync(hostA, nicPort1, hostB, Udp(HostB, HostA, marker: 1), Logs);
        Assert.Equal(Udp(HostB, HostA, marker: 1), first);
        Assert.Equal(1, Marker(await ReceiveAsync(hostC, 1, Logs)));

        // 2. B -> A: A was learned on port 1, so this is forwarded to port 1 only.
        await hostB.SendToAsync(Udp(HostA, HostB, marker: 2), nicPort2);
        Assert.Equal(2, Marker(await ReceiveAsync(hostA, 2, Logs)));

        // 3. A -> B again: the flood flow toward B was removed when B was learned; one more upcall installs output(2).
        await hostA.SendToAsync(Udp(HostB, HostA, marker: 3), nicPort1);
        Assert.Equal(3, Marker(await ReceiveAsync(hostB, 3, Logs)));
        await Task.Delay(500); // let offloadd's console logger flush the upcall lines
        int upcallsAfterSetup = CountUpcalls(offloadd.Process.StandardOutput);
        Assert.True(upcallsAfterSetup >= 3, $"expected at least 3 upcalls (flood, reply, forward), saw {upcallsAfterSetup}{Logs()}");

        // 4. Both directions now hit installed flows: every frame arrives, in order, with no new upcall.
        for (ushort i = 100; i < 120; i++)
        {
            await hostA.SendToAsync(Udp(HostB, HostA, marker: i), nicPort1);
            Assert.Equal(i, Marker(await ReceiveAsync(hostB, i, Logs)));
            await hostB.SendToAsync(Udp(HostA, HostB, marker: i), nicPort2);
            Assert.Equal(i, Marker(await ReceiveAsync(hostA, i, Logs)));
        }

        await Task.Delay(500);
        Assert.Equal(upcallsAfterSetup, CountUpcalls(offloadd.Process.StandardOutput));

        // 5. The static rule (in_port 3 to A: drop) was installed when the NIC connected: C's frame to A is dropped
        //    by the NIC without an upcall.
        await hostC.SendToAsync(Udp(HostA, HostC, marker: 500), nicPort3);
        await Task.Delay(500);
        Assert.Equal(0, hostA.Available);
        Assert.Equal(upcallsAfterSetup, CountUpcalls(offloadd.Process.StandardOutput));

        // Port 3's host saw only the flooded frame(s) of step 1: nothing after learning was flooded.
        var buffer = new byte[2048];
        while (hostC.Available > 0)
        {
            int n = hostC.Receive(buffer);
            Assert.True(Marker(buffer.AsSpan(0, n)) == 1, $"port 3 received frame {Marker(buffer.AsSpan(0, n))} after learning{Logs()}");
        }
    }

    [Fact]
    public async Task ControllerAction_ThroughNicFwAndOffloadd_PacketInCountedFrameForwardedNothingInstalled()
    {
        using var hostA = Bound();
        using var hostB = Bound();
        int port1 = FreeUdpPort(), port2 = FreeUdpPort(), mailbox = FreeTcpPort();
        var nicPort1 = new IPEndPoint(IPAddress.Loopback, port1);
        using var nic = await NicFwProcess.StartAsync(
            $"--Mailbox:Endpoint=127.0.0.1:{mailbox}",
            "--Datapath:Ports:0:No=1", "--Datapath:Ports:0:Kind=udp",
            $"--Datapath:Ports:0:Listen=127.0.0.1:{port1}", $"--Datapath:Ports:0:Peer={hostA.LocalEndPoint}",
            "--Datapath:Ports:1:No=2", "--Datapath:Ports:1:Kind=dgram",
            $"--Datapath:Ports:1:Listen=127.0.0.1:{port2}", $"--Datapath:Ports:1:Peer={hostB.LocalEndPoint}");
        using var offloadd = await OffloaddProcess.StartAsync(null,
            $"--Mailbox:Endpoints:0=tcp://127.0.0.1:{mailbox}", "--Logging:LogLevel:Offload.Host.Switching=Debug",
            "--Switching:Rules:0:InPort=1", "--Switching:Rules:0:Actions=controller:4242,output:2");
        string Logs() => $"\n{offloadd.Process.Describe()}\n{nic.Process.Describe()}";

        // The static rule is installed when the NIC connects; until then frames miss (and are answered by learning).
        // Retry until a packet-in shows up, then every frame is both forwarded and copied up, with no further upcall.
        var deadline = DateTime.UtcNow + StepTimeout;
        while (!offloadd.Process.StandardOutput.Contains("Packet-in on port 1", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no packet-in within {StepTimeout}{Logs()}");
            await hostA.SendToAsync(Udp(HostB, HostA, marker: 1), nicPort1);
            await Task.Delay(200);
        }

        int upcalls = CountUpcalls(offloadd.Process.StandardOutput);
        int packetIns = PacketInLine().Count(offloadd.Process.StandardOutput);
        for (ushort i = 10; i < 15; i++)
        {
            await hostA.SendToAsync(Udp(HostB, HostA, marker: i), nicPort1);
            Assert.Equal(i, Marker(await ReceiveAsync(hostB, i, Logs)));
        }

        deadline = DateTime.UtcNow + StepTimeout;
        while (PacketInLine().Count(offloadd.Process.StandardOutput) < packetIns + 5)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected 5 more packet-ins{Logs()}");
            await Task.Delay(100);
        }

        Assert.Contains("controller action user data 4242", offloadd.Process.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(upcalls, CountUpcalls(offloadd.Process.StandardOutput)); // packet-ins are not misses: nothing installed
    }

    private static async Task<byte[]> SendUntilReceivedAsync(Socket from, IPEndPoint to, Socket receiver, byte[] frame, Func<string> logs)
    {
        var deadline = DateTime.UtcNow + StepTimeout;
        var buffer = new byte[2048];
        while (true)
        {
            await from.SendToAsync(frame, to);
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                int n = await receiver.ReceiveAsync(buffer, SocketFlags.None, attempt.Token);
                return buffer[..n];
            }
            catch (OperationCanceledException)
            {
                Assert.True(DateTime.UtcNow < deadline, $"no frame reached the other port within {StepTimeout}{logs()}");
            }
        }
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, ushort marker, Func<string> logs)
    {
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(StepTimeout);
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"frame {marker} not received within {StepTimeout}{logs()}");
                throw;
            }

            if (n >= 60 && Marker(buffer.AsSpan(0, n)) == marker)
            {
                return buffer[..n];
            }
        }
    }

    private static int CountUpcalls(string log) => UpcallLine().Count(log);

    [GeneratedRegex(@"Upcall \d+ on port \d+")]
    private static partial Regex UpcallLine();

    [GeneratedRegex(@"Packet-in on port 1: controller action user data 4242")]
    private static partial Regex PacketInLine();

    /// <summary>A UDP socket bound to a free loopback port (a host behind a nic-fw UDP port).</summary>
    internal static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    internal static int FreeUdpPort()
    {
        using var socket = Bound();
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
