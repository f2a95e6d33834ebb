using System.Net;
using System.Net.Sockets;
using Offload.Emulation.Capture;
using Offload.Emulation.Qemu;

namespace Offload.Emulation.Tests.Capture;

/// <summary>QEMU filter-dump → pcap → tshark, end to end, with a fake target on the host that sends known PDUs.</summary>
[Collection(GuestCollection.Name)]
public sealed class GuestCaptureTests(GuestImageFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offload-guest-capture-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_FilterDumpOfGuestTcpStream_TsharkDecodesPdusAndFlagsTheBadDigest()
    {
        var pdus = new SyntheticNvmeTcpCapture().IcResp().CapsuleResp(1).C2HData(2, 8192).CapsuleResp(3, corruptDigest: true).TargetToHostBytes();
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            await stream.WriteAsync(pdus);
            client.Client.Shutdown(SocketShutdown.Send);
            var sink = new byte[1024];
            while (await stream.ReadAsync(sink) > 0)
            {
            }
        });
        var pcap = Path.Combine(_directory, "guest.pcap");

        var result = await QemuRunner.RunAsync(new GuestMachineOptions(fixture.Image)
        {
            Name = "capture",
            PcapPath = pcap,
            Scenario = $"step fetch sh -c 'nc 10.0.2.2 {port} </dev/null | wc -c'\n",
            Timeout = TimeSpan.FromMinutes(3),
        });
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        var report = await NvmeTcpCaptureAnalyzer.AnalyzeAsync(pcap, port);

        Assert.True(result.Step("fetch")?.ExitCode == 0, result.Describe());
        Assert.Contains(pdus.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Step("fetch")!.Output, StringComparison.Ordinal);
        Assert.Equal(4, report.PduCount);
        Assert.Equal(0, report.MalformedCount);
        Assert.Equal(1, report.BadHeaderDigests);
        Assert.Equal(2, report.GoodHeaderDigests);
        Assert.Equal(1, report.GoodDataDigests);
    }
}
