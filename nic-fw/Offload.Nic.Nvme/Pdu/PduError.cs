namespace Offload.Nic.Nvme.Pdu;

/// <summary>A fatal transport error: FES plus the Fatal Error Information (byte offset of the offending field).</summary>
public readonly record struct PduError(FatalErrorStatus Status, uint FieldOffset)
{
    public static PduError None => default;

    public bool IsError => Status != FatalErrorStatus.None;

    public static PduError InvalidField(uint offset) => new(FatalErrorStatus.InvalidHeaderField, offset);

    public static PduError Sequence => new(FatalErrorStatus.PduSequenceError, 0);
}
