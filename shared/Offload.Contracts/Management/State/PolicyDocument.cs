namespace Offload.Contracts.Management;

/// <summary>Output of <c>offloadctl policy show --json</c> (schema <see cref="ManagementApi.PolicySchema"/>).</summary>
/// <param name="Schema">Always <see cref="ManagementApi.PolicySchema"/>.</param>
/// <param name="Revision">Desired-state revision.</param>
/// <param name="Policy">The policy parameters.</param>
public sealed record PolicyDocument(string Schema, long Revision, PolicySpec Policy);
