using Offload.Emulation.Guest;
using Offload.Emulation.Processes;
using Offload.Emulation.Qemu;

namespace Offload.Emulation.Tests.Qemu;

public sealed class QemuRunnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offload-qemu-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_QemuNotInstalled_FailsNamingToolAndInstallCommand()
    {
        var initramfs = Path.Combine(_directory, "initramfs.cpio.gz");
        await File.WriteAllBytesAsync(initramfs, [0x1F, 0x8B]);
        var options = new GuestMachineOptions(new GuestImage("/nonexistent/vmlinuz", initramfs, "k", []))
        {
            QemuPath = "/nonexistent/qemu-system-x86_64",
            Scenario = "step x true\n",
        };

        var error = await Assert.ThrowsAsync<ToolMissingException>(() => QemuRunner.RunAsync(options));

        Assert.Equal("/nonexistent/qemu-system-x86_64", error.Tool);
        Assert.Contains("apt-get install -y qemu-system-x86", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ProcessOutlivesTimeout_KilledAndFlagged()
    {
        var result = await ProcessRunner.RunAsync("sleep", ["30"], TimeSpan.FromMilliseconds(300));

        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
    }
}
