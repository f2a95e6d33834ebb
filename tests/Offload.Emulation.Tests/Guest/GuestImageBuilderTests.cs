using Offload.Emulation.Guest;
using Offload.Emulation.Processes;

namespace Offload.Emulation.Tests.Guest;

[Collection(GuestCollection.Name)]
public sealed class GuestImageBuilderTests(GuestImageFixture fixture)
{
    [Fact]
    public async Task BuildAsync_SecondCall_ReusesCachedImageWithoutRewriting()
    {
        var first = fixture.Image;
        var written = File.GetLastWriteTimeUtc(first.InitramfsPath);

        var second = await new GuestImageBuilder().BuildAsync();

        Assert.Equal(first.Key, second.Key);
        Assert.Equal(first.InitramfsPath, second.InitramfsPath);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second.InitramfsPath));
    }

    [Fact]
    public async Task BuildAsync_Image_HoldsInitToolsLibrariesAndModulesInDependencyOrder()
    {
        var image = fixture.Image;

        var list = await ProcessRunner.RunAsync("sh", ["-c", $"zcat '{image.InitramfsPath}' | cpio -it"], TimeSpan.FromMinutes(2));

        Assert.True(list.Succeeded, list.StandardError);
        var entries = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[]
        {
            "init", "bin/busybox", "bin/sh", "dev/console", "usr/sbin/nvme", "usr/bin/fio", "usr/bin/iperf3",
            "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libnvme.so.1", "lib/x86_64-linux-gnu/libiperf.so.0",
            "lib/modules/nvme_tcp.ko", "lib/modules/virtio_net.ko", "etc/offload/modules.order",
        })
        {
            Assert.Contains(expected, entries);
        }

        var order = image.ModuleOrder.ToList();
        Assert.True(order.IndexOf("nvme_core") < order.IndexOf("nvme_fabrics"));
        Assert.True(order.IndexOf("nvme_fabrics") < order.IndexOf("nvme_tcp"));
        Assert.True(order.IndexOf("t10_pi") < order.IndexOf("nvme_core"));
        Assert.True(order.IndexOf("virtio_ring") < order.IndexOf("virtio_net"));
        Assert.True(order.IndexOf("net_failover") < order.IndexOf("virtio_net"));
        Assert.All(ModuleLoadOrder.DefaultRoots, root => Assert.Contains(root, order));
    }

    [Fact]
    public void BuildOverlay_Scenario_IsGzipCpioWithExecutableScript()
    {
        var overlay = GuestImageBuilder.BuildOverlay("step hello echo hi\n", new Dictionary<string, byte[]> { ["etc/extra"] = [1, 2, 3] });

        Assert.Equal(0x1F, overlay[0]);
        Assert.Equal(0x8B, overlay[1]);
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(overlay), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var text = reader.ReadToEnd();
        Assert.Contains("scenario.sh", text, StringComparison.Ordinal);
        Assert.Contains("step hello echo hi", text, StringComparison.Ordinal);
        Assert.Contains("etc/extra", text, StringComparison.Ordinal);
    }
}
