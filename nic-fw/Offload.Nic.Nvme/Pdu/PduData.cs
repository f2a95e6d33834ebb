namespace Offload.Nic.Nvme.Pdu;

/// <summary>
/// Locates the data of a complete PDU: checks the header digest, PDO (must be 0 with no data, otherwise exactly the
/// CPDA-aligned offset after header+digest), the DDGSTF flag and the data digest.
/// </summary>
public static class PduData
{
    public static PduError TryLocate(ReadOnlySpan<byte> pdu, in PduHeader header, PduLimits limits, out int dataOffset,
        out int dataLength, out bool dataDigestValid)
    {
        dataOffset = 0;
        dataLength = 0;
        dataDigestValid = true;
        int hlen = header.HeaderLength;
        var hd = header.HasHeaderDigest ? PduHeader.DigestSize : 0;
        if (header.PduLength < (uint)(hlen + hd) || (uint)pdu.Length < header.PduLength)
        {
            return PduError.InvalidField(4);
        }

        if (hd != 0 && !Crc32C.Verify(pdu[..hlen], pdu.Slice(hlen, PduHeader.DigestSize)))
        {
            return new PduError(FatalErrorStatus.HeaderDigestError, 0);
        }

        var plen = (int)header.PduLength;
        if (plen == hlen + hd)
        {
            if (header.DataOffset != 0)
            {
                return PduError.InvalidField(3);
            }

            return header.HasDataDigest ? PduError.InvalidField(1) : PduError.None;
        }

        if (header.DataOffset != limits.HostDataOffset(hlen))
        {
            return PduError.InvalidField(3);
        }

        if (header.HasDataDigest != limits.DataDigest)
        {
            return PduError.InvalidField(1);
        }

        var dd = header.HasDataDigest ? PduHeader.DigestSize : 0;
        dataOffset = header.DataOffset;
        dataLength = plen - dataOffset - dd;
        if (dataLength <= 0)
        {
            dataLength = 0;
            return PduError.InvalidField(4);
        }

        if (dd != 0)
        {
            dataDigestValid = Crc32C.Verify(pdu.Slice(dataOffset, dataLength), pdu.Slice(dataOffset + dataLength, dd));
        }

        return PduError.None;
    }
}
