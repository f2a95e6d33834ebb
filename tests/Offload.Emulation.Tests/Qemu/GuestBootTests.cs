using Offload.Emulation.Guest;
using Offload.Emulation.Qemu;

namespace Offload.Emulation.Tests.Qemu;

[Collection(GuestCollection.Name)]
public sealed class GuestBootTests(GuestImageFixture fixture)
{
    [Fact]
    public async Task RunAsync_BootScenario_LoadsEveryModuleAndReportsNvmeTcp()
    {
        var options = new GuestMachineOptions(fixture.Image)
        {
            Name = "boot",
            Scenario = """
                step modules cat /proc/modules
                step nvme-fabrics test -c /dev/nvme-fabrics
                step eth0 ip addr show eth0
                step tools sh -c 'nvme version && fio --version && iperf3 --version'
                """,
            Timeout = TimeSpan.FromMinutes(3),
        };

        var result = await QemuRunner.RunAsync(options);

        Assert.True(result.Done, result.Describe());
        Assert.Equal(fixture.Image.ModuleOrder, result.Modules.Select(m => m.Key));
        Assert.All(result.Modules, m => Assert.True(m.Value == 0, $"insmod {m.Key} rc={m.Value}\n{result.Describe()}"));
        var modules = result.Step("modules");
        Assert.NotNull(modules);
        Assert.Contains("nvme_tcp", modules.Output, StringComparison.Ordinal);
        Assert.Contains("virtio_net", modules.Output, StringComparison.Ordinal);
        Assert.Equal(0, result.Step("nvme-fabrics")?.ExitCode);
        Assert.Contains("10.0.2.15/24", result.Step("eth0")?.Output ?? string.Empty, StringComparison.Ordinal);
        var tools = result.Step("tools");
        Assert.True(tools?.ExitCode == 0, result.Describe());
        Assert.Contains("fio-3", tools.Output, StringComparison.Ordinal);
        Assert.Equal(0, result.QemuExitCode);
    }
}
