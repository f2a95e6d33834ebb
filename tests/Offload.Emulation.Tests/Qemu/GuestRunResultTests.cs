using Offload.Emulation.Qemu;

namespace Offload.Emulation.Tests.Qemu;

public sealed class GuestRunResultTests
{
    private const string Console = "SeaBIOS\r\n@@BOOT@@\r\n@@MODULE nvme_tcp rc=0@@\r\n@@MODULE virtio_net rc=1@@\r\n@@READY@@\r\n" +
        "@@BEGIN discover@@\r\nDiscovery Log Number of Records 1\r\n[   3.1] kernel noise\r\n@@RESULT discover rc=0@@\r\n" +
        "@@BEGIN connect@@\r\nfailed to write to nvme-fabrics device\r\n@@RESULT connect rc=1@@\r\n@@DONE@@\r\n";

    [Fact]
    public void Parse_FullConsole_FlagsModulesAndSteps()
    {
        var result = GuestRunResult.Parse(Console, 0, timedOut: false, string.Empty);

        Assert.True(result.Booted && result.Ready && result.Done);
        Assert.Equal([new("nvme_tcp", 0), new("virtio_net", 1)], result.Modules);
        Assert.Equal(2, result.Steps.Count);
        Assert.Equal(0, result.Step("discover")!.ExitCode);
        Assert.Contains("Records 1", result.Step("discover")!.Output, StringComparison.Ordinal);
        Assert.Equal(1, result.Step("connect")!.ExitCode);
        Assert.DoesNotContain('\r', result.Console);
    }

    [Fact]
    public void Parse_EveryPrefix_NeverThrowsAndNeverInventsSteps()
    {
        for (var length = 0; length <= Console.Length; length++)
        {
            var result = GuestRunResult.Parse(Console[..length], 0, timedOut: true, string.Empty);
            Assert.True(result.Steps.Count <= 2);
            Assert.All(result.Steps, s => Assert.Contains($"@@RESULT {s.Name} rc={s.ExitCode}@@", Console[..length], StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Parse_StepWithoutResult_IsMissing()
    {
        var result = GuestRunResult.Parse("@@BOOT@@\n@@BEGIN fio@@\nJobs: 1\n", 137, timedOut: true, string.Empty);

        Assert.Null(result.Step("fio"));
        Assert.False(result.Done);
        Assert.Contains("timedOut=True", result.Describe(), StringComparison.Ordinal);
    }
}
