using System.Globalization;
using System.Text.RegularExpressions;
using Offload.Emulation.Processes;
using Offload.Emulation.Qemu;
using Offload.Emulation.Scenarios;
using Offload.Testing.Processes;

namespace Offload.Emulation.Tests.Qemu;

/// <summary>
/// Two unmodified QEMU guests plugged into two <c>stream</c> switch ports of a real nic-fw (each QEMU connects to the
/// port's Unix socket), with a real offloadd as the controller: its learning switch installs the flows (FlowMiss up,
/// FlowInstall down). Two static rules single out TCP port 5202 for ECN CE stamping and the rate-advertisement IPv4
/// option. One boot pair: ping, an iperf3 stream on 5201 (learned flows), then an iperf3 stream on 5202 with the
/// guests' TCP negotiating ECN (stamped flows). The server guest's netdev is captured and tshark checks that the
/// stamps really reached the stock Linux TCP stack.
/// </summary>
[Collection(GuestCollection.Name)]
public sealed partial class SwitchedGuestPairTests(GuestImageFixture fixture) : IDisposable
{
    private const string Application = "7";
    private const int AdvertisedRate = 12345;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task RunAsync_TwoGuestsOnNicFwStreamPorts_PingIperf3AndStampedIperf3Pass()
    {
        string mailbox = _directory.File("nic.sock"), port1 = _directory.File("p1.sock"), port2 = _directory.File("p2.sock");
        string pcap = _directory.File("server.pcap");
        using var nic = await NicFwProcess.StartAsync(
            $"--Mailbox:Endpoint=unix://{mailbox}",
            "--Datapath:Ports:0:No=1", "--Datapath:Ports:0:Kind=stream", $"--Datapath:Ports:0:Listen=unix:{port1}",
            "--Datapath:Ports:1:No=2", "--Datapath:Ports:1:Kind=stream", $"--Datapath:Ports:1:Listen=unix:{port2}",
            $"--Datapath:Applications:0:Id={Application}", "--Datapath:Applications:0:Congested=true",
            $"--Datapath:Applications:0:AdvertisedRate={AdvertisedRate}");
        string stamp = $"congestion_mark:{Application},rate_advertise:{Application}";
        using var offloadd = await OffloaddProcess.StartAsync(null,
            $"--Mailbox:Endpoints:0=unix://{mailbox}", "--Logging:LogLevel:Offload.Host.Switching=Debug",
            "--Switching:Rules:0:InPort=1", "--Switching:Rules:0:EtherType=2048", "--Switching:Rules:0:IpProto=6",
            $"--Switching:Rules:0:TpDst={GuestPairScenario.StampedPort}", $"--Switching:Rules:0:Actions={stamp},output:2",
            "--Switching:Rules:1:InPort=2", "--Switching:Rules:1:EtherType=2048", "--Switching:Rules:1:IpProto=6",
            $"--Switching:Rules:1:TpSrc={GuestPairScenario.StampedPort}", $"--Switching:Rules:1:Actions={stamp},output:1");

        var serverRun = QemuRunner.RunAsync(new GuestMachineOptions(fixture.Image)
        {
            Name = "switched-a",
            Network = GuestNetwork.UnixStreamClient(port2, "10.0.5.1/24"),
            MacAddress = "52:54:00:00:05:01",
            PcapPath = pcap,
            PcapSnapLength = 128, // headers only: tshark reads the whole stream quickly
            Scenario = GuestPairScenario.ServerTwice("10.0.5.2"),
            Timeout = TimeSpan.FromMinutes(5),
        });
        var clientRun = QemuRunner.RunAsync(new GuestMachineOptions(fixture.Image)
        {
            Name = "switched-b",
            Network = GuestNetwork.UnixStreamClient(port1, "10.0.5.2/24"),
            MacAddress = "52:54:00:00:05:02",
            Scenario = GuestPairScenario.ClientTwice("10.0.5.1"),
            Timeout = TimeSpan.FromMinutes(5),
        });
        var server = await serverRun;
        var client = await clientRun;
        string Logs() => $"\n--- server guest\n{server.Describe()}\n--- client guest\n{client.Describe()}\n--- offloadd\n{offloadd.Process.Describe()}\n--- nic-fw\n{nic.Process.Describe()}";

        // ping both ways, through flows the learning switch installed
        Assert.True(server.Step(GuestPairScenario.Ping)?.ExitCode == 0, Logs());
        Assert.True(client.Step(GuestPairScenario.Ping)?.ExitCode == 0, Logs());
        Assert.Matches(UpcallLine(), offloadd.Process.StandardOutput);

        // iperf3 on 5201 (learned flows), then on 5202 (stamped flows, ECN negotiated): both complete and move bytes
        Assert.True(server.Step(GuestPairScenario.IperfServer)?.ExitCode == 0, Logs());
        Assert.True(client.Step(GuestPairScenario.IperfClient)?.ExitCode == 0, Logs());
        Assert.True(ReceivedBytes(client.Step(GuestPairScenario.IperfClient)!.Output) > 0, Logs());
        Assert.True(server.Step(GuestPairScenario.IperfServerStamped)?.ExitCode == 0, Logs());
        Assert.True(client.Step(GuestPairScenario.IperfClientStamped)?.ExitCode == 0, Logs());
        Assert.True(ReceivedBytes(client.Step(GuestPairScenario.IperfClientStamped)!.Output) > 0, Logs());

        // What the server guest received: CE and the rate option on the 5202 stream only.
        var segments = await ReadSegmentsAsync(pcap);
        var stamped = segments.Where(s => s.DestinationPort == GuestPairScenario.StampedPort).ToList();
        var plain = segments.Where(s => s.DestinationPort == 5201).ToList();
        Assert.True(plain.Count > 100, $"only {plain.Count} segments of the 5201 stream in the capture{Logs()}");
        Assert.True(stamped.Count > 100, $"only {stamped.Count} segments of the 5202 stream in the capture{Logs()}");
        Assert.Contains(stamped, s => s.Ecn == 3);
        Assert.Contains(stamped, s => s.HasRateOption);
        Assert.DoesNotContain(plain, s => s.Ecn == 3 || s.HasRateOption);
    }

    /// <summary>
    /// One tshark pass over the server's capture: per TCP segment it received, the destination port, the ECN field and
    /// whether the IPv4 header carries the 8-byte rate option (type 0x9E, length 8) right after the fixed header
    /// (tshark shows an unknown option without filling ip.opt.type, so the bytes are matched with a slice).
    /// </summary>
    private static async Task<List<(int DestinationPort, int Ecn, bool HasRateOption)>> ReadSegmentsAsync(string pcap)
    {
        var result = await ProcessRunner.RunAsync(
            "tshark", ["-r", pcap, "-Y", "tcp && ip.dst==10.0.5.1", "-T", "fields", "-E", "separator=;", "-e", "tcp.dstport", "-e", "ip.dsfield.ecn", "-e", "ip.hdr_len", "-e", "frame.number"],
            TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"tshark failed (rc {result.ExitCode}, timed out {result.TimedOut}): {result.StandardError}");
        var withOption = await ProcessRunner.RunAsync(
            "tshark", ["-r", pcap, "-Y", "tcp && ip.dst==10.0.5.1 && ip[20:2]==9e:08", "-T", "fields", "-e", "frame.number"], TimeSpan.FromMinutes(3));
        Assert.True(withOption.ExitCode == 0 && !withOption.TimedOut, $"tshark failed (rc {withOption.ExitCode}): {withOption.StandardError}");
        var optionFrames = withOption.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var segments = new List<(int, int, bool)>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(';');
            if (fields.Length >= 4 && int.TryParse(fields[0], CultureInfo.InvariantCulture, out int port) && int.TryParse(fields[1], CultureInfo.InvariantCulture, out int ecn))
            {
                segments.Add((port, ecn, fields[2] == "28" && optionFrames.Contains(fields[3])));
            }
        }

        return segments;
    }

    /// <summary>Bytes in iperf3's "receiver" summary line (0 when there is none).</summary>
    private static double ReceivedBytes(string iperfOutput)
    {
        var match = ReceiverLine().Match(iperfOutput);
        if (!match.Success)
        {
            return 0;
        }

        double value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "K" => value * 1024,
            "M" => value * 1024 * 1024,
            "G" => value * 1024 * 1024 * 1024,
            _ => value,
        };
    }

    [GeneratedRegex(@"Upcall \d+ on port \d+")]
    private static partial Regex UpcallLine();

    [GeneratedRegex(@"sec\s+(?<value>[0-9.]+)\s+(?<unit>[KMG]?)Bytes\s+.*receiver")]
    private static partial Regex ReceiverLine();
}
