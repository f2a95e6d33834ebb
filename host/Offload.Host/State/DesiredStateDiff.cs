using System.Globalization;
using Offload.Contracts.Management;

namespace Offload.Host.State;

/// <summary>
/// What would change going from one desired state to another, object by object, in dependency order (subsystems,
/// tenants, pinned rates, flow rules, policy). The revision is not compared.
/// </summary>
internal static class DesiredStateDiff
{
    internal static List<StateChange> Compute(DesiredState current, DesiredState desired)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(desired);
        var changes = new List<StateChange>();
        Subsystems(current.Subsystems, desired.Subsystems, changes);
        Tenants(current.Tenants, desired.Tenants, changes);
        Pins(current.PinnedRates, desired.PinnedRates, changes);
        Rules(current.FlowRules, desired.FlowRules, changes);
        var details = new List<string>();
        Compare(details, "enforce", current.Policy.Enforce, desired.Policy.Enforce);
        Compare(details, "requireFlowMetadata", current.Policy.RequireFlowMetadata, desired.Policy.RequireFlowMetadata);
        if (details.Count > 0)
        {
            changes.Add(new StateChange("policy", "policy", "change", string.Join(", ", details)));
        }

        return changes;
    }

    private static void Subsystems(List<SubsystemSpec> current, List<SubsystemSpec> desired, List<StateChange> changes)
    {
        foreach (var d in desired)
        {
            var c = current.Find(x => x.Nqn == d.Nqn);
            if (c is null)
            {
                changes.Add(new StateChange("subsystem", d.Nqn, "add", Describe(d)));
                continue;
            }

            var details = new List<string>();
            Compare(details, "allowAnyHost", c.AllowAnyHost, d.AllowAnyHost);
            foreach (var h in d.Hosts.Except(c.Hosts, StringComparer.Ordinal))
            {
                details.Add("+host " + h);
            }

            foreach (var h in c.Hosts.Except(d.Hosts, StringComparer.Ordinal))
            {
                details.Add("-host " + h);
            }

            foreach (var ns in d.Namespaces)
            {
                var old = c.Namespaces.Find(x => x.Nsid == ns.Nsid);
                if (old is null)
                {
                    details.Add("+namespace " + Describe(ns));
                }
                else if (old.Size != ns.Size || old.BlockSize != ns.BlockSize || !string.Equals(old.Path ?? "", ns.Path ?? "", StringComparison.Ordinal))
                {
                    details.Add($"namespace {Describe(old)} -> {Describe(ns)}");
                }
            }

            foreach (var ns in c.Namespaces)
            {
                if (d.Namespaces.Find(x => x.Nsid == ns.Nsid) is null)
                {
                    details.Add("-namespace " + Describe(ns));
                }
            }

            if (details.Count > 0)
            {
                changes.Add(new StateChange("subsystem", d.Nqn, "change", string.Join(", ", details)));
            }
        }

        foreach (var c in current)
        {
            if (desired.Find(x => x.Nqn == c.Nqn) is null)
            {
                changes.Add(new StateChange("subsystem", c.Nqn, "remove", Describe(c)));
            }
        }
    }

    private static void Tenants(List<TenantSpec> current, List<TenantSpec> desired, List<StateChange> changes)
    {
        foreach (var d in desired)
        {
            var c = current.Find(x => x.Name == d.Name);
            if (c is null)
            {
                changes.Add(new StateChange("tenant", d.Name, "add", Describe(d)));
                continue;
            }

            var details = new List<string>();
            Compare(details, "application", c.Application, d.Application);
            Compare(details, "weight", c.Weight, d.Weight);
            Compare(details, "reservation", c.Reservation, d.Reservation);
            Compare(details, "limit", FormatLimit(c.Limit), FormatLimit(d.Limit));
            Compare(details, "class", c.Class, d.Class);
            if (details.Count > 0)
            {
                changes.Add(new StateChange("tenant", d.Name, "change", string.Join(", ", details)));
            }
        }

        foreach (var c in current)
        {
            if (desired.Find(x => x.Name == c.Name) is null)
            {
                changes.Add(new StateChange("tenant", c.Name, "remove", Describe(c)));
            }
        }
    }

    private static void Pins(List<PinnedRateSpec> current, List<PinnedRateSpec> desired, List<StateChange> changes)
    {
        foreach (var d in desired)
        {
            var c = current.Find(x => x.Tenant == d.Tenant);
            if (c is null)
            {
                changes.Add(new StateChange("pinnedRate", d.Tenant, "add", Describe(d)));
            }
            else if (c.Iops != d.Iops || c.BytesPerSecond != d.BytesPerSecond)
            {
                changes.Add(new StateChange("pinnedRate", d.Tenant, "change", $"{Describe(c)} -> {Describe(d)}"));
            }
        }

        foreach (var c in current)
        {
            if (desired.Find(x => x.Tenant == c.Tenant) is null)
            {
                changes.Add(new StateChange("pinnedRate", c.Tenant, "remove", Describe(c)));
            }
        }
    }

    private static void Rules(List<FlowRuleSpec> current, List<FlowRuleSpec> desired, List<StateChange> changes)
    {
        var count = Math.Max(current.Count, desired.Count);
        for (var i = 0; i < count; i++)
        {
            var name = "rule " + i.ToString(CultureInfo.InvariantCulture);
            if (i >= current.Count)
            {
                changes.Add(new StateChange("flowRule", name, "add", Describe(desired[i])));
            }
            else if (i >= desired.Count)
            {
                changes.Add(new StateChange("flowRule", name, "remove", Describe(current[i])));
            }
            else if (Describe(current[i]) != Describe(desired[i]))
            {
                changes.Add(new StateChange("flowRule", name, "change", $"{Describe(current[i])} -> {Describe(desired[i])}"));
            }
        }
    }

    private static void Compare<T>(List<string> details, string field, T before, T after)
    {
        if (!EqualityComparer<T>.Default.Equals(before, after))
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"{field} {before} -> {after}"));
        }
    }

    private static string FormatLimit(double? limit) => limit is { } l ? DesiredStateValidator.Format(l) : "none";

    internal static string Describe(TenantSpec t) => string.Create(CultureInfo.InvariantCulture,
        $"app{t.Application} weight {t.Weight} reservation {t.Reservation} limit {FormatLimit(t.Limit)} class {t.Class}");

    internal static string Describe(SubsystemSpec s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Namespaces.Count} namespaces, {(s.AllowAnyHost ? "any host" : s.Hosts.Count + " allowed hosts")}");

    internal static string Describe(NamespaceSpec n) => string.Create(CultureInfo.InvariantCulture,
        $"{n.Nsid} ({n.Size} bytes, {n.BlockSize}-byte blocks, {(string.IsNullOrEmpty(n.Path) ? "memory" : n.Path)})");

    internal static string Describe(PinnedRateSpec p) => string.Create(CultureInfo.InvariantCulture,
        $"{p.Iops} IOPS, {(p.BytesPerSecond == 0 ? "no byte limit" : p.BytesPerSecond + " bytes/s")}");

    internal static string Describe(FlowRuleSpec r) => string.Create(CultureInfo.InvariantCulture,
        $"priority {r.Priority} in_port={(r.InPort?.ToString(CultureInfo.InvariantCulture) ?? "*")} dl_src={r.EthSrc ?? "*"} dl_dst={r.EthDst ?? "*"} dl_type={(r.EtherType?.ToString(CultureInfo.InvariantCulture) ?? "*")} actions={r.Actions}");
}
