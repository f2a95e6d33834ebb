using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Tests.Subsystem;

public sealed class TargetConfigTests
{
    [Fact]
    public void Load_RunnerExample_ParsesSubsystemsAndDenyDefault()
    {
        var path = Path.Combine(Support.RegressionCorpus.Directory, "..", "..", "..", "nic-fw", "Offload.Nic.Nvme.Runner", "target.example.json");
        var config = TargetConfig.Load(path);
        Assert.Equal(2, config.Subsystems.Count);
        Assert.False(config.Subsystems[0].AllowAnyHost);
        Assert.True(config.Subsystems[1].AllowAnyHost);
        using var catalog = new SubsystemCatalog(config);
        Assert.True(catalog.TryGet(config.Subsystems[0].Nqn, out var a));
        Assert.False(a.IsHostAllowed("nqn.2014-08.org.example:someone-else"));
        Assert.True(a.IsHostAllowed(config.Subsystems[0].Hosts[0]));
    }

    [Fact]
    public void Parse_ArbitrationKeys_PolicyByNameAndCoreCapacity()
    {
        var config = TargetConfig.Parse("""{ "arbitration": "WeightedRoundRobin", "coreCapacityIops": 5000, "subsystems": [] }""");
        Assert.Equal(Offload.Nic.Nvme.Scheduler.SchedulingPolicy.WeightedRoundRobin, config.Arbitration);
        Assert.Equal(5000, config.CoreCapacityIops);
        Assert.Equal(Offload.Nic.Nvme.Scheduler.SchedulingPolicy.RoundRobin, TargetConfig.Parse("{}").Arbitration);
        Assert.True(TargetConfig.Parse("{}").PreciseGrants);
        Assert.False(TargetConfig.Parse("""{ "preciseGrants": false }""").PreciseGrants);
    }

    [Fact]
    public void Catalog_BadBlockSize_Throws()
    {
        var config = new TargetConfig
        {
            Subsystems = { new SubsystemConfig { Nqn = "nqn.x", Namespaces = { new NamespaceConfig { Size = 4096, BlockSize = 1024 } } } },
        };
        Assert.Throws<ArgumentOutOfRangeException>(() => new SubsystemCatalog(config));
    }
}
