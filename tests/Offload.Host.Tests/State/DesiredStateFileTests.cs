using Offload.Contracts.Management;
using Offload.Host.State;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.State;

public sealed class DesiredStateFileTests
{
    /// <summary>O_DIRECTORY by architecture: arm64's own fcntl.h value, not x86's (0200000 is O_DIRECT there).</summary>
    [Theory]
    [InlineData(System.Runtime.InteropServices.Architecture.X64, 0x10000)]
    [InlineData(System.Runtime.InteropServices.Architecture.RiscV64, 0x10000)]
    [InlineData(System.Runtime.InteropServices.Architecture.Arm64, 0x4000)]
    [InlineData(System.Runtime.InteropServices.Architecture.Arm, 0x4000)]
    [InlineData(System.Runtime.InteropServices.Architecture.Ppc64le, 0x4000)]
    public void DirectoryFlag_PerArchitecture_TheArchitecturesOwnValue(System.Runtime.InteropServices.Architecture architecture, int expected) =>
        Assert.Equal(expected, DesiredStateFile.DirectoryFlag(architecture));

    [Fact]
    public void Save_Twice_FileHoldsNewBakHoldsPreviousNoTempLeft()
    {
        using var directory = new TempDirectory();
        var path = directory.File("sub/state.json");
        DesiredStateFile.Save(path, State(1, "a"));
        Assert.False(File.Exists(path + ".bak"));

        DesiredStateFile.Save(path, State(2, "b"));

        Assert.Equal("b", DesiredStateFile.Load(path).Tenants[0].Name);
        Assert.Equal(1, DesiredStateFile.Load(path + ".bak").Revision);
        Assert.Equal(["state.json", "state.json.bak"], Directory.GetFiles(directory.File("sub")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Load_Missing_EmptyStateAtRevisionZero()
    {
        using var directory = new TempDirectory();
        var state = DesiredStateFile.Load(directory.File("none.json"));
        Assert.Equal((0L, 0, ManagementApi.StateSchema), (state.Revision, state.Tenants.Count, state.Schema));
    }

    [Fact]
    public void Load_Truncated_OneLineNamingFileLineAndRemedyWithoutBackup()
    {
        using var directory = new TempDirectory();
        var path = directory.File("state.json");
        File.WriteAllText(path, "{\n \"schema\": \"offload.state/v1\",\n \"tenants\": [");

        var ex = Assert.Throws<DesiredStateException>(() => DesiredStateFile.Load(path));

        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith($"state file {path} is corrupt: invalid JSON at line 3", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("fix or remove the file, then start offloadd again.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownField_Refused()
    {
        using var directory = new TempDirectory();
        var path = directory.File("state.json");
        File.WriteAllText(path, """{"schema":"offload.state/v1","tenantz":[]}""");
        var ex = Assert.Throws<DesiredStateException>(() => DesiredStateFile.Load(path));
        Assert.Contains("tenantz", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_DirectoryNotWritable_ThrowsAndOldFileUntouched()
    {
        using var directory = new TempDirectory();
        var path = directory.File("state.json");
        DesiredStateFile.Save(path, State(1, "a"));
        File.WriteAllText(path + ".tmp", "");
        Directory.CreateDirectory(path + ".tmp.d");
        var blocked = directory.File("state.json.tmp");
        File.Delete(blocked);
        Directory.CreateDirectory(blocked); // the temp file cannot be created: a directory is in the way

        var ex = Assert.Throws<DesiredStateException>(() => DesiredStateFile.Save(path, State(2, "b")));

        Assert.Contains("nothing was changed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, DesiredStateFile.Load(path).Revision);
    }

    private static DesiredState State(long revision, string tenant) => new()
    {
        Revision = revision,
        Tenants = { new TenantSpec { Name = tenant, Application = 1 } },
    };
}
