using System.Text.Json.Serialization;

namespace Offload.Contracts.Management;

/// <summary>An NVMe subsystem of the NIC's target, with its namespaces and host allow-list.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SubsystemSpec
{
    /// <summary>Subsystem NQN (starts with <c>nqn.</c>, at most 223 bytes).</summary>
    public string Nqn { get; set; } = "";

    /// <summary>Let every host connect (otherwise only <see cref="Hosts"/>).</summary>
    public bool AllowAnyHost { get; set; }

    /// <summary>Host NQNs allowed to connect.</summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>Namespaces.</summary>
    public List<NamespaceSpec> Namespaces { get; set; } = [];
}
