using System.Buffers.Binary;

namespace Offload.Nic.Nvme.Pdu;

/// <summary>Builds controller-to-host PDUs into a caller-owned span. Returns the number of bytes written.</summary>
public static class PduWriter
{
    public const int CapsuleResponseSize = 24;
    public const int R2TSize = 24;
    public const int C2HDataHeaderLength = 24;

    /// <summary>ICResp (3.6.2.3): PFV@8=0, CPDA@10, DGST@11, MAXH2CDATA@12.</summary>
    public static int WriteIcResp(Span<byte> destination, PduLimits limits)
    {
        destination[..128].Clear();
        PduHeader.Write(destination, PduType.ICResp, PduFlagBits.None, 128, 0, 128);
        destination[10] = limits.Cpda;
        destination[11] = (byte)((limits.HeaderDigest ? 1 : 0) | (limits.DataDigest ? 2 : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)limits.MaxH2CDataSize);
        return 128;
    }

    /// <summary>CapsuleResp (3.6.2.7): the 16-byte CQE after the common header, plus HDGST if negotiated.</summary>
    public static int WriteCapsuleResponse(Span<byte> destination, PduLimits limits, ReadOnlySpan<byte> cqe)
    {
        var hd = limits.HeaderDigestSize;
        var flags = hd != 0 ? PduFlagBits.HeaderDigest : PduFlagBits.None;
        PduHeader.Write(destination, PduType.CapsuleResponse, flags, CapsuleResponseSize, 0, (uint)(CapsuleResponseSize + hd));
        cqe[..16].CopyTo(destination[8..]);
        AppendHeaderDigest(destination, CapsuleResponseSize, hd);
        return CapsuleResponseSize + hd;
    }

    /// <summary>R2T (3.6.2.11): CCCID@8, TTAG@10, R2TO@12, R2TL@16.</summary>
    public static int WriteR2T(Span<byte> destination, PduLimits limits, ushort cid, ushort ttag, uint offset, uint length)
    {
        var hd = limits.HeaderDigestSize;
        var flags = hd != 0 ? PduFlagBits.HeaderDigest : PduFlagBits.None;
        destination[..R2TSize].Clear();
        PduHeader.Write(destination, PduType.R2T, flags, R2TSize, 0, (uint)(R2TSize + hd));
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], cid);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], ttag);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], offset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], length);
        AppendHeaderDigest(destination, R2TSize, hd);
        return R2TSize + hd;
    }

    /// <summary>Writes a C2HData header (3.6.2.9) and returns the PDO; the caller copies data to destination[pdo..]
    /// then calls <see cref="FinishC2HData"/>.</summary>
    public static int WriteC2HDataHeader(Span<byte> destination, PduLimits limits, ushort cid, uint offset, int length,
        bool last, bool success)
    {
        var hd = limits.HeaderDigestSize;
        var dd = limits.DataDigestSize;
        var pdo = limits.ControllerDataOffset(C2HDataHeaderLength);
        var flags = (hd != 0 ? PduFlagBits.HeaderDigest : 0) | (dd != 0 ? PduFlagBits.DataDigest : 0) |
                    (last ? PduFlagBits.LastPdu : 0) | (success ? PduFlagBits.Success : 0);
        destination[..pdo].Clear();
        PduHeader.Write(destination, PduType.C2HData, flags, C2HDataHeaderLength, (byte)pdo, (uint)(pdo + length + dd));
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], cid);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], offset);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], (uint)length);
        AppendHeaderDigest(destination, C2HDataHeaderLength, hd);
        return pdo;
    }

    /// <summary>Appends the data digest (if negotiated) after the data; returns the total PDU size.</summary>
    public static int FinishC2HData(Span<byte> pdu, PduLimits limits, int pdo, int length)
    {
        if (limits.DataDigest)
        {
            Crc32C.Write(pdu.Slice(pdo, length), pdu.Slice(pdo + length, 4));
        }

        return pdo + length + limits.DataDigestSize;
    }

    private static void AppendHeaderDigest(Span<byte> destination, int hlen, int hd)
    {
        if (hd != 0)
        {
            Crc32C.Write(destination[..hlen], destination.Slice(hlen, hd));
        }
    }
}
