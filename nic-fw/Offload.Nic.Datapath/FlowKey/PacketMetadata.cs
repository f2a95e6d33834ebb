namespace Offload.Nic.Datapath.FlowKeys;

/// <summary>
/// Per-packet facts found while extracting the key that are not part of the key itself
/// (they would explode the exact-match cache): layer offsets and the NVMe/TCP peek.
/// </summary>
public struct PacketMetadata
{
    /// <summary>Offset of the L3 header, or -1.</summary>
    public int L3Offset { get; set; }

    /// <summary>Offset of the L4 header, or -1.</summary>
    public int L4Offset { get; set; }

    /// <summary>NVMe command class of a CapsuleCmd at the start of the TCP payload.</summary>
    public NvmeOpcodeClass NvmeClass { get; set; }

    /// <summary>SGL data length of that command in bytes (0 if none).</summary>
    public uint NvmeDataSize { get; set; }
}
