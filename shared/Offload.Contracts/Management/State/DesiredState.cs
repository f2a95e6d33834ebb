using System.Text.Json.Serialization;

namespace Offload.Contracts.Management;

/// <summary>
/// offloadd's desired state (schema <see cref="ManagementApi.StateSchema"/>): what every NIC should be configured with.
/// Declared in a file (<c>State:Path</c>), changed through <c>PUT /v1/state</c>, re-applied in dependency order on
/// startup and whenever a NIC (re)connects. Unknown fields are refused, so a typo cannot be silently ignored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class DesiredState
{
    /// <summary>Always <see cref="ManagementApi.StateSchema"/>.</summary>
    public string Schema { get; set; } = ManagementApi.StateSchema;

    /// <summary>
    /// Revision, raised by one on every change offloadd accepts. On <c>PUT /v1/state</c> it is the revision the change
    /// was based on: when it is not 0 and not the current one, the change is refused with HTTP 409.
    /// </summary>
    public long Revision { get; set; }

    /// <summary>Tenants and their SLAs.</summary>
    public List<TenantSpec> Tenants { get; set; } = [];

    /// <summary>NVMe subsystems with their namespaces and host allow-lists.</summary>
    public List<SubsystemSpec> Subsystems { get; set; } = [];

    /// <summary>Rates pinned by the operator (the controller does not change them).</summary>
    public List<PinnedRateSpec> PinnedRates { get; set; } = [];

    /// <summary>Static flow rules installed on every NIC above the learned flows.</summary>
    public List<FlowRuleSpec> FlowRules { get; set; } = [];

    /// <summary>Control-loop policy parameters.</summary>
    public PolicySpec Policy { get; set; } = new();
}
