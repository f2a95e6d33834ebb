using System.Text.Json.Serialization;

namespace Offload.Contracts.Management;

/// <summary>
/// A tenant and its SLA. Rates are in cost units per second (one 4 KiB read = 1, see docs/QOS.md).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class TenantSpec
{
    /// <summary>Tenant name, unique; letters, digits, '-', '_' and '.' (at most 64).</summary>
    public string Name { get; set; } = "";

    /// <summary>The NIC's application number of this tenant (<c>app1</c> is 1), as telemetry and explain show it.</summary>
    public uint Application { get; set; }

    /// <summary>Share weight for weighted max-min fairness, &gt; 0.</summary>
    public double Weight { get; set; } = 1;

    /// <summary>Guaranteed minimum rate, cost units/s (0 = none).</summary>
    public double Reservation { get; set; }

    /// <summary>Hard maximum rate, cost units/s; null = none.</summary>
    public double? Limit { get; set; }

    /// <summary><c>throughput</c> (default) or <c>latency-sensitive</c>.</summary>
    public string Class { get; set; } = TenantClasses.Throughput;
}
