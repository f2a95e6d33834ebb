using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Offload.Contracts.Management;
using Offload.Host.State;
using Offload.Testing.Processes;

namespace Offload.Host.Tests.State;

public sealed class DesiredStateStoreTests
{
    [Fact]
    public void Replace_StaleRevision_ConflictAndNothingChanged()
    {
        using var directory = new TempDirectory();
        var store = NewStore(directory);
        store.Replace(WithTenant("a", 0));
        var bytes = File.ReadAllBytes(store.Path);

        var ex = Assert.Throws<DesiredStateConflictException>(() => store.Replace(WithTenant("b", 5)));

        Assert.Equal((5L, 1L), (ex.Expected, ex.Current));
        Assert.Equal(bytes, File.ReadAllBytes(store.Path));
        Assert.Equal("a", store.Snapshot().Tenants[0].Name);
    }

    [Fact]
    public void Replace_NoChange_SameRevisionNoWriteNoEvent()
    {
        using var directory = new TempDirectory();
        var store = NewStore(directory);
        store.Replace(WithTenant("a", 0));
        var written = File.GetLastWriteTimeUtc(store.Path);
        var events = 0;
        store.Changed += _ => events++;

        var result = store.Replace(WithTenant("a", 1));

        Assert.Equal((1L, 0, 0), (result.Revision, result.Changes.Count, events));
        Assert.Equal(written, File.GetLastWriteTimeUtc(store.Path));
    }

    [Fact]
    public void Snapshot_MutatedByCaller_StoreUnaffected()
    {
        using var directory = new TempDirectory();
        var store = NewStore(directory);
        store.Replace(WithTenant("a", 0));
        store.Snapshot().Tenants.Clear();
        Assert.Single(store.Snapshot().Tenants);
    }

    [Fact]
    public void Diff_AllKinds_ReportsEachInDependencyOrder()
    {
        var current = WithTenant("a", 0);
        current.Subsystems.Add(new SubsystemSpec { Nqn = "nqn.x", Hosts = { "nqn.h1" }, Namespaces = { new NamespaceSpec { Nsid = 1, Size = 4096 } } });
        var desired = WithTenant("a", 0);
        desired.Tenants[0].Limit = 10;
        desired.Subsystems.Add(new SubsystemSpec { Nqn = "nqn.x", Hosts = { "nqn.h2" }, Namespaces = { new NamespaceSpec { Nsid = 1, Size = 8192 } } });
        desired.PinnedRates.Add(new PinnedRateSpec { Tenant = "a", Iops = 5 });
        desired.FlowRules.Add(new FlowRuleSpec { Actions = "drop" });
        desired.Policy.Enforce = false;

        var changes = DesiredStateDiff.Compute(current, desired);

        Assert.Equal(["subsystem change", "tenant change", "pinnedRate add", "flowRule add", "policy change"], changes.Select(c => c.Kind + " " + c.Action));
        Assert.Equal("+host nqn.h2, -host nqn.h1, namespace 1 (4096 bytes, 512-byte blocks, memory) -> 1 (8192 bytes, 512-byte blocks, memory)", changes[0].Detail);
        Assert.Equal("limit none -> 10", changes[1].Detail);
        Assert.Equal("enforce True -> False", changes[4].Detail);
    }

    private static DesiredStateStore NewStore(TempDirectory directory)
    {
        var store = new DesiredStateStore(Options.Create(new StateOptions { Path = directory.File("state.json") }), NullLogger<DesiredStateStore>.Instance);
        store.Load();
        return store;
    }

    private static DesiredState WithTenant(string name, long revision) => new()
    {
        Revision = revision,
        Tenants = { new TenantSpec { Name = name, Application = 1 } },
    };
}
