namespace Offload.Nic.Nvme.Pdu;

/// <summary>
/// Per-connection parameters negotiated in ICReq/ICResp plus the target's configured caps. Every length in a PDU is
/// checked against these before anything is buffered.
/// </summary>
public sealed class PduLimits
{
    /// <summary>NVMe/TCP: the maximum size of a C2HTermReq/H2CTermReq (24-byte header + up to 128 bytes of the PDU header in error).</summary>
    public const int MaxTermReqSize = 152;

    public bool HeaderDigest { get; set; }

    public bool DataDigest { get; set; }

    /// <summary>Controller PDU data alignment (ours, advertised in ICResp); alignment in bytes is (Cpda+1)*4.</summary>
    public byte Cpda { get; set; }

    /// <summary>Host PDU data alignment from ICReq; C2HData we send are padded to (Hpda+1)*4.</summary>
    public byte Hpda { get; set; }

    /// <summary>MAXH2CDATA advertised in ICResp: the maximum DATAL of one H2CData PDU.</summary>
    public int MaxH2CDataSize { get; set; } = 128 * 1024;

    /// <summary>Maximum in-capsule data for this queue: IOCCSZ*16-64 for I/O queues, 8 KiB for the admin queue.</summary>
    public int MaxInCapsuleDataSize { get; set; } = 8192;

    public int HeaderDigestSize => HeaderDigest ? PduHeader.DigestSize : 0;

    public int DataDigestSize => DataDigest ? PduHeader.DigestSize : 0;

    /// <summary>PDO a host must use for a data-carrying PDU of this hlen (header + digest rounded up to CPDA).</summary>
    public int HostDataOffset(int hlen) => AlignUp(hlen + HeaderDigestSize, (Cpda + 1) * 4);

    /// <summary>PDO we use for C2HData (header + digest rounded up to the host's HPDA).</summary>
    public int ControllerDataOffset(int hlen) => AlignUp(hlen + HeaderDigestSize, (Hpda + 1) * 4);

    /// <summary>The largest plen the receive path accepts for a host-to-controller PDU of this type.</summary>
    public long MaxPduSize(PduType type) => type switch
    {
        PduType.ICReq => 128,
        PduType.H2CTermReq => MaxTermReqSize,
        PduType.CapsuleCommand => HostDataOffset(72) + (long)MaxInCapsuleDataSize + DataDigestSize,
        PduType.H2CData => HostDataOffset(24) + (long)MaxH2CDataSize + DataDigestSize,
        _ => 0,
    };

    /// <summary>Receive buffer size big enough for any acceptable PDU.</summary>
    public int ReceiveBufferSize =>
        (int)Math.Max(Math.Max(MaxPduSize(PduType.CapsuleCommand), MaxPduSize(PduType.H2CData)), 256);

    public static int AlignUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
