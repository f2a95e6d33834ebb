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
        Keyed("subsystem", current.Subsystems, desired.Subsystems, static s => s.Nqn, Describe, SubsystemChange, changes);
        Keyed("tenant", current.Tenants, desired.Tenants, static t => t.Name, Describe, TenantChange, changes);
        Keyed("pinnedRate", current.PinnedRates, desired.PinnedRates, static p => p.Tenant, Describe, PinChange, changes);
        Rules(current.FlowRules, desired.FlowRules, changes);
        var details = new List<string>();
        Compare(details, "enforce", current.Policy.Enforce, desired.Policy.Enforce);
        Compare(details, "requireFlowMetadata", current.Policy.RequireFlowMetadata, desired.Policy.RequireFlowMetadata);
        if (Joined(details) is { } policy)
        {
            changes.Add(new StateChange("policy", "policy", "change", policy));
        }

        return changes;
    }

    // Objects matched by key: added (in desired order), changed (when change() has details), removed (in current order).
    private static void Keyed<T>(string kind, List<T> current, List<T> desired, Func<T, string> key, Func<T, string> describe,
        Func<T, T, string?> change, List<StateChange> changes)
        where T : class
    {
        foreach (var d in desired)
        {
            var c = current.Find(x => key(x) == key(d));
            if (c is null)
            {
                changes.Add(new StateChange(kind, key(d), "add", describe(d)));
            }
            else if (change(c, d) is { } detail)
            {
                changes.Add(new StateChange(kind, key(d), "change", detail));
            }
        }

        foreach (var c in current)
        {
            if (desired.Find(x => key(x) == key(c)) is null)
            {
                changes.Add(new StateChange(kind, key(c), "remove", describe(c)));
            }
        }
    }

    private static string? Joined(List<string> details) => details.Count == 0 ? null : string.Join(", ", details);

    private static string? SubsystemChange(SubsystemSpec c, SubsystemSpec d)
    {
        var details = new List<string>();
        Compare(details, "allowAnyHost", c.AllowAnyHost, d.AllowAnyHost);
        details.AddRange(d.Hosts.Except(c.Hosts, StringComparer.Ordinal).Select(h => "+host " + h));
        details.AddRange(c.Hosts.Except(d.Hosts, StringComparer.Ordinal).Select(h => "-host " + h));
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

        details.AddRange(c.Namespaces.Where(ns => d.Namespaces.Find(x => x.Nsid == ns.Nsid) is null).Select(ns => "-namespace " + Describe(ns)));
        return Joined(details);
    }

    private static string? TenantChange(TenantSpec c, TenantSpec d)
    {
        var details = new List<string>();
        Compare(details, "application", c.Application, d.Application);
        Compare(details, "weight", c.Weight, d.Weight);
        Compare(details, "reservation", c.Reservation, d.Reservation);
        Compare(details, "limit", FormatLimit(c.Limit), FormatLimit(d.Limit));
        Compare(details, "class", c.Class, d.Class);
        return Joined(details);
    }

    private static string? PinChange(PinnedRateSpec c, PinnedRateSpec d) =>
        c.Iops != d.Iops || c.BytesPerSecond != d.BytesPerSecond ? $"{Describe(c)} -> {Describe(d)}" : null;

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
