namespace Offload.Contracts.Management;

/// <summary>
/// Body of every non-2xx management API response: what was wrong and what to do about it.
/// </summary>
/// <param name="Schema">Always <see cref="ManagementApi.ErrorSchema"/>.</param>
/// <param name="Code">Stable machine-readable code, for example <c>not_found</c>.</param>
/// <param name="Message">One human-readable line naming the object, the problem and the remedy.</param>
public sealed record ErrorDocument(string Schema, string Code, string Message);
