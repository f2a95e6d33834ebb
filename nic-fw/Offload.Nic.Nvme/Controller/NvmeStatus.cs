namespace Offload.Nic.Nvme.Controller;

/// <summary>
/// NVMe completion status (NVMe Base 2.0, 4.6.1.2 Status Field): status code type, status code, DNR. Every status
/// the target returns is one of these constants, so the mapping to spec codes lives in one place.
/// </summary>
public readonly record struct NvmeStatus(byte CodeType, byte Code, bool DoNotRetry)
{
    public static NvmeStatus Success => default;

    // Generic command status (SCT 0), NVMe Base 2.0 Figure "Generic Command Status Values".
    public static NvmeStatus InvalidOpcode => new(0, 0x01, true);
    public static NvmeStatus InvalidField => new(0, 0x02, true);
    public static NvmeStatus CommandIdConflict => new(0, 0x03, true);
    public static NvmeStatus InternalError => new(0, 0x06, false);
    public static NvmeStatus AbortedSqDeletion => new(0, 0x08, false);
    public static NvmeStatus InvalidNamespaceOrFormat => new(0, 0x0B, true);
    public static NvmeStatus CommandSequenceError => new(0, 0x0C, true);
    public static NvmeStatus DataSglLengthInvalid => new(0, 0x0F, true);
    public static NvmeStatus SglDescriptorTypeInvalid => new(0, 0x11, true);
    public static NvmeStatus SglOffsetInvalid => new(0, 0x16, true);
    public static NvmeStatus KeepAliveTimeoutInvalid => new(0, 0x1A, true);
    public static NvmeStatus TransientTransportError => new(0, 0x22, false);
    public static NvmeStatus LbaOutOfRange => new(0, 0x80, true);
    public static NvmeStatus NamespaceNotReady => new(0, 0x82, false);

    // Command specific status (SCT 1).
    public static NvmeStatus AsyncEventLimitExceeded => new(1, 0x05, true);
    public static NvmeStatus InvalidLogPage => new(1, 0x09, true);
    public static NvmeStatus FeatureNotChangeable => new(1, 0x0E, true);

    // Fabrics command status (SCT 1), NVMe over Fabrics 1.1, 3.3 / NVMe Base 2.0 Fabrics status values.
    public static NvmeStatus ConnectIncompatibleFormat => new(1, 0x80, true);
    public static NvmeStatus ConnectControllerBusy => new(1, 0x81, false);
    public static NvmeStatus ConnectInvalidParameters => new(1, 0x82, true);
    public static NvmeStatus ConnectInvalidHost => new(1, 0x84, true);
    public static NvmeStatus InvalidQueueType => new(1, 0x0D, true);

    public bool IsSuccess => CodeType == 0 && Code == 0;

    /// <summary>The 15 bits above the phase tag of CQE DW3[31:17]: SC[8:1], SCT[11:9], DNR[15].</summary>
    public ushort ToField() => (ushort)((Code << 1) | ((CodeType & 0x7) << 9) | (DoNotRetry ? 0x8000 : 0));

    public static NvmeStatus FromField(ushort field) =>
        new((byte)((field >> 9) & 0x7), (byte)((field >> 1) & 0xFF), (field & 0x8000) != 0);
}
