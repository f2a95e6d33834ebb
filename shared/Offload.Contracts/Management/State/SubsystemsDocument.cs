namespace Offload.Contracts.Management;

/// <summary>Output of <c>offloadctl subsystems list --json</c> (schema <see cref="ManagementApi.SubsystemsSchema"/>).</summary>
/// <param name="Schema">Always <see cref="ManagementApi.SubsystemsSchema"/>.</param>
/// <param name="Revision">Desired-state revision.</param>
/// <param name="Subsystems">Subsystems in declaration order.</param>
public sealed record SubsystemsDocument(string Schema, long Revision, IReadOnlyList<SubsystemSpec> Subsystems);
