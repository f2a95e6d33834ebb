namespace Offload.Nic.Nvme.Pdu;

/// <summary>
/// Validates a host-to-controller common header as soon as its 8 bytes arrive, before the rest of the PDU is
/// buffered: type allowed in this connection state, hlen for the type, header-digest flag, plen bounds and caps.
/// FEI is the byte offset of the offending field in the PDU header (NVMe/TCP 1.0, 3.6.2.5).
/// </summary>
public static class PduHeaderCheck
{
    public static PduError Validate(in PduHeader header, bool initialized, PduLimits limits)
    {
        var type = header.Type;
        if (type is not (PduType.ICReq or PduType.H2CTermReq or PduType.CapsuleCommand or PduType.H2CData))
        {
            // A controller-to-host type or an undefined type sent by a host.
            return PduError.InvalidField(0);
        }

        if (!initialized && type != PduType.ICReq)
        {
            return PduError.Sequence;
        }

        if (initialized && type == PduType.ICReq)
        {
            return PduError.Sequence;
        }

        if (header.HeaderLength != PduHeader.ExpectedHeaderLength(type))
        {
            return PduError.InvalidField(2);
        }

        var noDigests = type is PduType.ICReq or PduType.H2CTermReq;
        if (header.HasHeaderDigest != (!noDigests && limits.HeaderDigest))
        {
            return PduError.InvalidField(1);
        }

        if (noDigests && header.HasDataDigest)
        {
            return PduError.InvalidField(1);
        }

        var minimum = header.HeaderLength + (header.HasHeaderDigest ? PduHeader.DigestSize : 0);
        if (header.PduLength < minimum)
        {
            return PduError.InvalidField(4);
        }

        if (type == PduType.ICReq && header.PduLength != 128)
        {
            return PduError.InvalidField(4);
        }

        if (header.PduLength > limits.MaxPduSize(type))
        {
            return type == PduType.H2CData
                ? new PduError(FatalErrorStatus.DataTransferLimitExceeded, 4)
                : PduError.InvalidField(4);
        }

        return PduError.None;
    }
}
