namespace Offload.Nic.Nvme.Pdu;

/// <summary>Fatal Error Status carried by C2HTermReq/H2CTermReq (NVMe/TCP 1.0, 3.6.2.4/3.6.2.5).</summary>
public enum FatalErrorStatus : ushort
{
    None = 0x00,
    InvalidHeaderField = 0x01,
    PduSequenceError = 0x02,
    HeaderDigestError = 0x03,
    DataTransferOutOfRange = 0x04,
    DataTransferLimitExceeded = 0x05,
    UnsupportedParameter = 0x06,
}
