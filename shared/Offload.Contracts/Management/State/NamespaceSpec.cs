using System.Text.Json.Serialization;

namespace Offload.Contracts.Management;

/// <summary>One namespace of a subsystem.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class NamespaceSpec
{
    /// <summary>Namespace ID, 1..4294967294.</summary>
    public uint Nsid { get; set; } = 1;

    /// <summary>Size in bytes, a positive multiple of <see cref="BlockSize"/>.</summary>
    public long Size { get; set; }

    /// <summary>512 or 4096.</summary>
    public int BlockSize { get; set; } = 512;

    /// <summary>Absolute path of the backing file on the NIC; null = anonymous memory (lost when nic-fw exits).</summary>
    public string? Path { get; set; }
}
