using Offload.Emulation.Scenarios;

namespace Offload.Emulation.Tests.Scenarios;

public sealed class LinuxInitiatorScenarioTests
{
    [Fact]
    public void Build_Digests_ConnectCarriesGAndCapitalG()
    {
        var script = new LinuxInitiatorScenario("10.0.2.2", 4420, "nqn.s", "nqn.h", "id") { Digests = true }.Build();

        Assert.Contains("step connect nvme connect -t tcp -a 10.0.2.2 -s 4420 -n nqn.s -q nqn.h -I id -g -G\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain(LinuxInitiatorScenario.DeniedConnect, script, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Defaults_FioRandrwVerifyPerBlockSizeThenDisconnect()
    {
        var script = new LinuxInitiatorScenario("10.0.2.2", 4420, "nqn.s", "nqn.h", "id") { DeniedHostNqn = "nqn.bad" }.Build();

        Assert.Contains("step denied-connect nvme connect -t tcp -a 10.0.2.2 -s 4420 -n nqn.s -q nqn.bad\n", script, StringComparison.Ordinal);
        Assert.Contains("--rw=randrw --bs=4096 --iodepth=8 --size=16M --verify=crc32c", script, StringComparison.Ordinal);
        Assert.Contains("--bs=131072", script, StringComparison.Ordinal);
        Assert.True(script.IndexOf("fio-131072", StringComparison.Ordinal) < script.IndexOf("step disconnect", StringComparison.Ordinal));
    }
}
