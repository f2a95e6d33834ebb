namespace Offload.Contracts.Management;

/// <summary>Lookups: exact-match-cache hits, megaflow classifier hits, misses.</summary>
public sealed record DatapathLookupDocument(ulong ExactMatchHits, ulong MegaflowHits, ulong Misses);
