namespace Offload.Contracts.Management;

/// <summary>Drops of one reason code.</summary>
public sealed record DatapathDropDocument(int Code, string Reason, ulong Count);
