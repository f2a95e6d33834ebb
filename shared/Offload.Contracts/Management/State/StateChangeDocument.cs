namespace Offload.Contracts.Management;

/// <summary>
/// Answer of <c>POST /v1/state/diff</c> (schema <see cref="ManagementApi.DiffSchema"/>) and <c>PUT /v1/state</c>
/// (schema <see cref="ManagementApi.ApplySchema"/>), and the output of <c>offloadctl diff|apply --json</c> and every
/// mutating tenants/subsystems/rates/policy command.
/// </summary>
/// <param name="Schema">Which of the two.</param>
/// <param name="Revision">Diff: the current revision (pass it back to apply). Apply: the new revision.</param>
/// <param name="Changes">What differs (diff) or what was changed (apply); empty when nothing.</param>
public sealed record StateChangeDocument(string Schema, long Revision, IReadOnlyList<StateChange> Changes);
