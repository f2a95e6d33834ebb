namespace Offload.Nic.Nvme.Pdu;

/// <summary>NVMe/TCP PDU types (NVMe/TCP Transport Spec 1.0, 3.6.1 common header, PDU-Type field).</summary>
public enum PduType : byte
{
    ICReq = 0x00,
    ICResp = 0x01,
    H2CTermReq = 0x02,
    C2HTermReq = 0x03,
    CapsuleCommand = 0x04,
    CapsuleResponse = 0x05,
    H2CData = 0x06,
    C2HData = 0x07,
    R2T = 0x09,
}
