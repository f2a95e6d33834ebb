namespace Offload.Nic.Nvme.Pdu;

/// <summary>Common-header FLAGS bits (NVMe/TCP 1.0, 3.6.1).</summary>
[Flags]
public enum PduFlagBits : byte
{
    None = 0,
    HeaderDigest = 0x01,
    DataDigest = 0x02,
    LastPdu = 0x04,
    Success = 0x08,
}
