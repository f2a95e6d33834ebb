using Offload.Emulation.Capture;

namespace Offload.Emulation.Tests.Capture;

public sealed class NvmeTcpCaptureAnalyzerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offload-capture-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AnalyzeAsync_ValidDigests_ReportsCleanCapture()
    {
        var pcap = Write(new SyntheticNvmeTcpCapture().IcReq().IcResp().CapsuleResp(1).C2HData(2, 512));

        var report = await NvmeTcpCaptureAnalyzer.AnalyzeAsync(pcap, SyntheticNvmeTcpCapture.TargetPort);

        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(4, report.PduCount);
        Assert.Equal(2, report.GoodHeaderDigests);
        Assert.Equal(1, report.GoodDataDigests);
    }

    [Fact]
    public async Task AnalyzeAsync_FlippedHeaderDigest_CountsBadHeaderDigest()
    {
        var pcap = Write(new SyntheticNvmeTcpCapture().IcReq().IcResp().CapsuleResp(1, corruptDigest: true).CapsuleResp(2));

        var report = await NvmeTcpCaptureAnalyzer.AnalyzeAsync(pcap, SyntheticNvmeTcpCapture.TargetPort);

        Assert.Equal(1, report.BadHeaderDigests);
        Assert.Equal(1, report.GoodHeaderDigests);
        Assert.False(report.IsClean);
    }

    [Fact]
    public async Task AnalyzeAsync_CorruptedPayload_CountsBadDataDigest()
    {
        var pcap = Write(new SyntheticNvmeTcpCapture().IcReq().IcResp().C2HData(3, 4096, corruptData: true));

        var report = await NvmeTcpCaptureAnalyzer.AnalyzeAsync(pcap, SyntheticNvmeTcpCapture.TargetPort);

        Assert.Equal(1, report.BadDataDigests);
        Assert.False(report.IsClean);
    }

    [Fact]
    public async Task AnalyzeAsync_WrongPort_SeesNoPdus()
    {
        var pcap = Write(new SyntheticNvmeTcpCapture().IcReq().IcResp());

        var report = await NvmeTcpCaptureAnalyzer.AnalyzeAsync(pcap, 9999);

        Assert.Equal(0, report.PduCount);
        Assert.False(report.IsClean);
    }

    [Fact]
    public void Parse_MalformedColumn_CountsMalformedFrame()
    {
        var report = NvmeTcpCaptureAnalyzer.Parse("1\t5\t1\t\t\n2\t7\t1\t1\tMalformed Packet\n");

        Assert.Equal(1, report.MalformedCount);
        Assert.Equal(2, report.PduCount);
        Assert.Equal(2, report.GoodHeaderDigests);
    }

    private string Write(SyntheticNvmeTcpCapture capture)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".pcap");
        capture.WritePcap(path);
        return path;
    }
}
