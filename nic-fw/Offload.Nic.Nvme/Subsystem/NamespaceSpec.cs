namespace Offload.Nic.Nvme.Subsystem;

/// <summary>A namespace as the host's desired state declares it at runtime.</summary>
/// <param name="Nsid">Namespace ID (1..0xFFFFFFFE).</param>
/// <param name="Size">Size in bytes, a positive multiple of <paramref name="BlockSize"/>.</param>
/// <param name="BlockSize">512 or 4096.</param>
/// <param name="Path">Backing file; null or empty for anonymous memory (contents lost when nic-fw exits).</param>
public sealed record NamespaceSpec(uint Nsid, long Size, int BlockSize, string? Path);
