using Offload.Emulation.Guest;

namespace Offload.Emulation.Tests.Guest;

public sealed class ModuleLoadOrderTests
{
    private static KernelModuleInfo Module(string name, string[]? depends = null, string[]? soft = null) =>
        new(name, depends ?? [], soft ?? []);

    [Fact]
    public void TryCompute_DependenciesListedAfterRoots_DependenciesComeFirst()
    {
        var available = new Dictionary<string, KernelModuleInfo>
        {
            ["nvme_tcp"] = Module("nvme_tcp", ["nvme_core", "nvme_fabrics"]),
            ["nvme_fabrics"] = Module("nvme_fabrics", ["nvme_core"]),
            ["nvme_core"] = Module("nvme_core", ["t10_pi"]),
            ["t10_pi"] = Module("t10_pi", ["crc_t10dif", "crc64_rocksoft"]),
            ["crc_t10dif"] = Module("crc_t10dif", ["crct10dif_common"]),
            ["crct10dif_common"] = Module("crct10dif_common"),
            ["crc64_rocksoft"] = Module("crc64_rocksoft", ["crc64"]),
            ["crc64"] = Module("crc64"),
        };

        Assert.True(ModuleLoadOrder.TryCompute(available, ["nvme-tcp"], out var order, out var error), error);

        Assert.Equal(["crct10dif_common", "crc_t10dif", "crc64", "crc64_rocksoft", "t10_pi", "nvme_core", "nvme_fabrics", "nvme_tcp"], order);
    }

    [Fact]
    public void TryCompute_SoftDependencyPresentOrAbsent_LoadedFirstOrIgnored()
    {
        var available = new Dictionary<string, KernelModuleInfo>
        {
            ["a"] = Module("a", soft: ["s", "absent"]),
            ["s"] = Module("s"),
        };

        Assert.True(ModuleLoadOrder.TryCompute(available, ["a"], out var order, out _));

        Assert.Equal(["s", "a"], order);
    }

    [Fact]
    public void TryCompute_MissingHardDependency_FailsNamingIt()
    {
        var available = new Dictionary<string, KernelModuleInfo> { ["a"] = Module("a", ["gone"]) };

        Assert.False(ModuleLoadOrder.TryCompute(available, ["a"], out _, out var error));

        Assert.Contains("'gone'", error, StringComparison.Ordinal);
        Assert.Contains("'a'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCompute_Cycle_Fails()
    {
        var available = new Dictionary<string, KernelModuleInfo> { ["a"] = Module("a", ["b"]), ["b"] = Module("b", ["a"]) };

        Assert.False(ModuleLoadOrder.TryCompute(available, ["a"], out _, out var error));

        Assert.Contains("cycle", error, StringComparison.Ordinal);
    }
}
