namespace Offload.Nic.Datapath.FlowKeys;

/// <summary>Class of an NVMe command seen in a CapsuleCmd PDU (NVMe/TCP 1.0, 3.6.2.2).</summary>
public enum NvmeOpcodeClass
{
    /// <summary>No capsule command at the start of the segment.</summary>
    None = 0,
    /// <summary>Opcode 0x02 (Read).</summary>
    Read = 1,
    /// <summary>Opcode 0x01 (Write).</summary>
    Write = 2,
    /// <summary>Any other opcode.</summary>
    Other = 3,
}
