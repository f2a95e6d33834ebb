using System.Diagnostics;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Port;
using Offload.Testing.Network;
using Xunit.Abstractions;
using Key = Offload.Nic.Datapath.FlowKeys.FlowKey;


namespace Offload.Nic.Datapath.Tests.Actions;

/// <summary>
/// Two stock Linux TCP stacks (two network namespaces) talk through the datapath over AF_PACKET ports on veth
/// pairs, with ECN negotiated, congestion marking on and the rate-advertisement option inserted into every
/// packet towards the client. Needs root, iproute2, ethtool and python3.
/// </summary>
public class LinuxTcpThroughDatapathTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Transfer_WithRateOptionAndCeMarking_LinuxTcpCompletes()
    {
        using var client = new NetworkNamespace();
        using var server = new NetworkNamespace();
        var suffix = Random.Shared.Next(10000);
        var (outA, inA, outB, inB) = ($"dpxa{suffix}", $"dpya{suffix}", $"dpxb{suffix}", $"dpyb{suffix}");
        try
        {
            NetworkNamespace.Run("ip", $"link add {outA} type veth peer name {inA} netns {client.Name}");
            NetworkNamespace.Run("ip", $"link add {outB} type veth peer name {inB} netns {server.Name}");
            foreach (var (ns, dev, ip) in new[] { (client, inA, "10.97.0.1/24"), (server, inB, "10.97.0.2/24") })
            {
                ns.Exec("ip", $"addr add {ip} dev {dev}");
                ns.Exec("ip", $"link set {dev} up");
                ns.Exec("ethtool", $"-K {dev} tso off gso off gro off tx off");
                ns.Exec("sh", "-c \"echo 1 > /proc/sys/net/ipv4/tcp_ecn\"");
            }

            foreach (var dev in new[] { outA, outB })
            {
                NetworkNamespace.Run("ip", $"link set {dev} up");
                NetworkNamespace.Run("ethtool", $"-K {dev} tso off gso off gro off tx off");
            }

            var datapath = new SwitchDatapath(new DatapathOptions(), new RecordingUpcallSink(), TimeProvider.System);
            datapath.AddPort(new PortNo(1), Ports.OpenPacketSocket(outA));
            datapath.AddPort(new PortNo(2), Ports.OpenPacketSocket(outB));
            var app = new AppId(1);
            datapath.SetApplicationCongested(app, true);
            datapath.SetAdvertisedRate(app, 12_345);
            var fromClient = default(Key);
            fromClient.InPort = 1;
            var fromServer = default(Key);
            fromServer.InPort = 2;
            var inPortMask = default(Key);
            inPortMask.InPort = 0xFFFF;
            datapath.InstallFlow(fromClient, inPortMask, 1, [FlowAction.CongestionMark(app), FlowAction.Output(new PortNo(2))], TimeSpan.Zero, TimeSpan.Zero);
            datapath.InstallFlow(fromServer, inPortMask, 1, [FlowAction.CongestionMark(app), FlowAction.RateAdvertise(app), FlowAction.Output(new PortNo(1))], TimeSpan.Zero, TimeSpan.Zero);
            using var stop = new CancellationTokenSource();
            var poll = datapath.RunAsync(stop.Token);

            const int Size = 2 * 1024 * 1024;
            using var serverProcess = Process.Start(new ProcessStartInfo("ip",
                $"netns exec {server.Name} python3 -c \"import socket\ns=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('10.97.0.2', 5001)); s.listen(1)\nc,_=s.accept(); n=0\nwhile True:\n  d=c.recv(65536)\n  if not d: break\n  n+=len(d)\nc.sendall(str(n).encode()); c.close()\"")
            { RedirectStandardError = true })!;
            await Task.Delay(500);
            var reply = await Task.Run(() => client.Exec("python3",
                $"-c \"import socket,time\nfor i in range(300):\n  try:\n    s=socket.create_connection(('10.97.0.2', 5001), timeout=30); break\n  except OSError: time.sleep(0.1)\ns.sendall(b'x'*{Size}); s.shutdown(socket.SHUT_WR); print(s.recv(100).decode())\""));
            serverProcess.WaitForExit(30_000);
            await stop.CancelAsync();
            await poll;

            output.WriteLine($"reply={reply.Trim()} rx={datapath.Stats.Received} tx={datapath.Stats.Transmitted} " +
                $"rateOptions={datapath.Stats.RateOptionsInserted} ceMarked={datapath.Stats.Marked} drops={datapath.Stats.Drops.Total}");
            Assert.Equal(Size.ToString(System.Globalization.CultureInfo.InvariantCulture), reply.Trim());
            Assert.True(datapath.Stats.RateOptionsInserted > 10, "server-to-client packets carried the rate option");
            Assert.True(datapath.Stats.Marked > 10, "ECT packets were marked CE");
        }
        finally
        {
            foreach (var dev in new[] { outA, outB })
            {
                try
                {
                    NetworkNamespace.Run("ip", $"link del {dev}");
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }
}
