using Offload.Contracts.Management;
using Offload.Host.State;

namespace Offload.Host.Tests.State;

public sealed class DesiredStateValidatorTests
{
    public static TheoryData<string, Action<DesiredState>> BadStates => new()
    {
        { "tenant 'a b': the name", s => s.Tenants[0].Name = "a b" },
        { "tenant 'gold' is declared twice", s => s.Tenants.Add(new TenantSpec { Name = "gold", Application = 2 }) },
        { "application 1 is 0 or already used", s => s.Tenants.Add(new TenantSpec { Name = "x", Application = 1 }) },
        { "weight 0 is out of range", s => s.Tenants[0].Weight = 0 },
        { "weight 2000000 is out of range", s => s.Tenants[0].Weight = 2e6 },
        { "reservation -1 is out of range", s => s.Tenants[0].Reservation = -1 },
        { "limit 0 is out of range", s => s.Tenants[0].Limit = 0 },
        { "limit 5 is below reservation 10", s => (s.Tenants[0].Reservation, s.Tenants[0].Limit) = (10, 5) },
        { "class 'gold' is unknown", s => s.Tenants[0].Class = "gold" },
        { "the NQN must start with 'nqn.'", s => s.Subsystems[0].Nqn = "iqn.x" },
        { "not be the discovery NQN", s => s.Subsystems[0].Nqn = "nqn.2014-08.org.nvmexpress.discovery" },
        { "allowed host 'bob' is not an NQN", s => s.Subsystems[0].Hosts.Add("bob") },
        { "namespace 0: the NSID is invalid", s => s.Subsystems[0].Namespaces[0].Nsid = 0 },
        { "block size 1000 is not supported", s => s.Subsystems[0].Namespaces[0].BlockSize = 1000 },
        { "size 100 must be a positive multiple", s => s.Subsystems[0].Namespaces[0].Size = 100 },
        { "size 137438953472 must be", s => s.Subsystems[0].Namespaces[0].Size = 128L << 30 },
        { "path 'x.img' is not absolute", s => s.Subsystems[0].Namespaces[0].Path = "x.img" },
        { "pinned rate of tenant 'zz': no such tenant", s => s.PinnedRates[0].Tenant = "zz" },
        { "0 IOPS is out of range", s => s.PinnedRates[0].Iops = 0 },
        { "-3 bytes/s is out of range", s => s.PinnedRates[0].BytesPerSecond = -3 },
        { "flow rule 0: InPort 0 is out of range", s => s.FlowRules[0].InPort = 0 },
        { "flow rule 0: action 'jump' is not one of", s => s.FlowRules[0].Actions = "jump" },
        { "schema 'x' is not offload.state/v1", s => s.Schema = "x" },
    };

    [Fact]
    public void TryValidate_Sample_Valid()
    {
        Assert.True(DesiredStateValidator.TryValidate(Sample(), out var problem), problem);
    }

    [Theory]
    [MemberData(nameof(BadStates))]
    public void TryValidate_BadValue_OneLineNamingTheObject(string expected, Action<DesiredState> spoil)
    {
        ArgumentNullException.ThrowIfNull(spoil);
        var state = Sample();
        spoil(state);
        Assert.False(DesiredStateValidator.TryValidate(state, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    private static DesiredState Sample() => new()
    {
        Tenants = { new TenantSpec { Name = "gold", Application = 1, Weight = 2, Reservation = 10, Limit = 100, Class = TenantClasses.LatencySensitive } },
        Subsystems = { new SubsystemSpec { Nqn = "nqn.2026-01.io.offload:a", Hosts = { "nqn.h" }, Namespaces = { new NamespaceSpec { Nsid = 1, Size = 1 << 20 } } } },
        PinnedRates = { new PinnedRateSpec { Tenant = "gold", Iops = 5 } },
        FlowRules = { new FlowRuleSpec { InPort = 1, Actions = "output:2" } },
    };
}
