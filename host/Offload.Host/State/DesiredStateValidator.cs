using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Offload.Contracts.Management;
using Offload.Host.Switching;

namespace Offload.Host.State;

/// <summary>
/// Checks a desired state before anything is applied; the first problem is one line naming the object, what is wrong
/// and what to use instead. Bounds refuse absurd values (a typo of three zeros) rather than pass them to the NIC.
/// </summary>
internal static class DesiredStateValidator
{
    internal const double MaxRate = 1e12;
    internal const double MaxWeight = 1e6;
    internal const long MaxIops = 100_000_000;
    internal const long MaxBytesPerSecond = 1_000_000_000_000;
    internal const long MaxNamespaceSize = 64L << 30;

    internal static bool TryValidate(DesiredState state, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(state);
        problem = state.Schema != ManagementApi.StateSchema
            ? $"schema '{state.Schema}' is not {ManagementApi.StateSchema}; set \"schema\": \"{ManagementApi.StateSchema}\""
            : state.Revision < 0 ? $"revision {state.Revision} is negative; omit it or use the revision offloadctl diff printed"
            : state.Tenants is null || state.Subsystems is null || state.PinnedRates is null || state.FlowRules is null || state.Policy is null
                ? "tenants, subsystems, pinnedRates, flowRules and policy must not be null; use [] or {}"
            : Tenants(state.Tenants) ?? Subsystems(state.Subsystems) ?? Pins(state) ?? Rules(state.FlowRules);
        return problem is null;
    }

    private static string? Tenants(List<TenantSpec> tenants)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var apps = new HashSet<uint>();
        foreach (var t in tenants)
        {
            var name = $"tenant '{t.Name}'";
            if (!IsName(t.Name))
            {
                return $"{name}: the name must be 1-64 letters, digits, '-', '_' or '.'";
            }

            if (!names.Add(t.Name))
            {
                return $"{name} is declared twice; give each tenant a unique name";
            }

            if (t.Application == 0 || !apps.Add(t.Application))
            {
                return $"{name}: application {t.Application} is 0 or already used by another tenant; use the NIC's application number (app1 is 1)";
            }

            if (!(t.Weight > 0 && t.Weight <= MaxWeight))
            {
                return $"{name}: weight {Format(t.Weight)} is out of range; use a number in (0, {Format(MaxWeight)}]";
            }

            if (!(t.Reservation >= 0 && t.Reservation <= MaxRate))
            {
                return $"{name}: reservation {Format(t.Reservation)} is out of range; use 0..{Format(MaxRate)} cost units/s";
            }

            if (t.Limit is { } limit && !(limit > 0 && limit <= MaxRate))
            {
                return $"{name}: limit {Format(limit)} is out of range; use 1..{Format(MaxRate)} cost units/s or null for none";
            }

            if (t.Limit is { } l && l < t.Reservation)
            {
                return $"{name}: limit {Format(l)} is below reservation {Format(t.Reservation)}; raise the limit or lower the reservation";
            }

            if (t.Class is not (TenantClasses.Throughput or TenantClasses.LatencySensitive))
            {
                return $"{name}: class '{t.Class}' is unknown; use {TenantClasses.Throughput} or {TenantClasses.LatencySensitive}";
            }
        }

        return null;
    }

    private static string? Subsystems(List<SubsystemSpec> subsystems)
    {
        var nqns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in subsystems)
        {
            var name = $"subsystem '{s.Nqn}'";
            if (string.IsNullOrWhiteSpace(s.Nqn) || !s.Nqn.StartsWith("nqn.", StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(s.Nqn) > 223
                || s.Nqn == "nqn.2014-08.org.nvmexpress.discovery")
            {
                return $"{name}: the NQN must start with 'nqn.', be at most 223 bytes and not be the discovery NQN";
            }

            if (!nqns.Add(s.Nqn))
            {
                return $"{name} is declared twice; give each subsystem a unique NQN";
            }

            if (s.Hosts is null || s.Namespaces is null)
            {
                return $"{name}: hosts and namespaces must not be null; use []";
            }

            foreach (var host in s.Hosts)
            {
                if (string.IsNullOrWhiteSpace(host) || !host.StartsWith("nqn.", StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(host) > 223)
                {
                    return $"{name}: allowed host '{host}' is not an NQN; use for example nqn.2014-08.org.nvmexpress:uuid:...";
                }
            }

            var ids = new HashSet<uint>();
            foreach (var ns in s.Namespaces)
            {
                var nsName = $"{name} namespace {ns.Nsid.ToString(CultureInfo.InvariantCulture)}";
                if (ns.Nsid is 0 or uint.MaxValue || !ids.Add(ns.Nsid))
                {
                    return $"{nsName}: the NSID is invalid or duplicated; use 1..4294967294, once each";
                }

                if (ns.BlockSize is not (512 or 4096))
                {
                    return $"{nsName}: block size {ns.BlockSize} is not supported; use 512 or 4096";
                }

                if (ns.Size <= 0 || ns.Size % ns.BlockSize != 0 || ns.Size > MaxNamespaceSize)
                {
                    return $"{nsName}: size {ns.Size} must be a positive multiple of {ns.BlockSize} bytes, at most {MaxNamespaceSize}";
                }

                if (ns.Path is { Length: > 0 } path && !Path.IsPathFullyQualified(path))
                {
                    return $"{nsName}: path '{path}' is not absolute; use a full path on the NIC or null for memory";
                }
            }
        }

        return null;
    }

    private static string? Pins(DesiredState state)
    {
        var pinned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in state.PinnedRates)
        {
            var name = $"pinned rate of tenant '{p.Tenant}'";
            if (state.Tenants.Find(t => t.Name == p.Tenant) is null)
            {
                return $"{name}: no such tenant; add it first (offloadctl tenants add {p.Tenant} --app N)";
            }

            if (!pinned.Add(p.Tenant))
            {
                return $"{name} is declared twice; keep one";
            }

            if (p.Iops < 1 || p.Iops > MaxIops)
            {
                return $"{name}: {p.Iops} IOPS is out of range; use 1..{MaxIops}";
            }

            if (p.BytesPerSecond < 0 || p.BytesPerSecond > MaxBytesPerSecond)
            {
                return $"{name}: {p.BytesPerSecond} bytes/s is out of range; use 0 (none)..{MaxBytesPerSecond}";
            }
        }

        return null;
    }

    private static string? Rules(List<FlowRuleSpec> rules)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if (!StaticRuleCompiler.TryCompile(ToStaticRule(rules[i]), out _, out var error))
            {
                return $"flow rule {i.ToString(CultureInfo.InvariantCulture)}: {error.TrimEnd('.')}";
            }
        }

        return null;
    }

    internal static StaticRule ToStaticRule(FlowRuleSpec rule) => new()
    {
        Priority = rule.Priority,
        InPort = rule.InPort,
        EthSrc = rule.EthSrc,
        EthDst = rule.EthDst,
        EtherType = rule.EtherType,
        Actions = rule.Actions,
    };

    private static bool IsName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    internal static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
