using System.Buffers.Binary;

namespace Offload.Nic.Nvme.Pdu;

/// <summary>H2CTermReq/C2HTermReq (NVMe/TCP 1.0, 3.6.2.4-5): FES@8 (16 bit), FEI@10 (32 bit), 10 reserved bytes,
/// then up to 128 bytes of the PDU header in error. hlen 24, no digests.</summary>
public readonly ref struct TermReqPdu
{
    public const int HeaderLength = 24;
    public const int MaxErrorDataSize = 128;

    public FatalErrorStatus Status { get; init; }

    public uint FieldOffset { get; init; }

    public static PduError TryParse(ReadOnlySpan<byte> pdu, out TermReqPdu term)
    {
        term = default;
        if (!PduHeader.TryRead(pdu, out var header) || pdu.Length < header.PduLength || header.HeaderLength != HeaderLength)
        {
            return PduError.InvalidField(2);
        }

        if (header.DataOffset != 0)
        {
            return PduError.InvalidField(3);
        }

        term = new TermReqPdu
        {
            Status = (FatalErrorStatus)BinaryPrimitives.ReadUInt16LittleEndian(pdu[8..]),
            FieldOffset = BinaryPrimitives.ReadUInt32LittleEndian(pdu[10..]),
        };
        return PduError.None;
    }

    /// <summary>Writes a C2HTermReq echoing up to 128 bytes of the offending header; returns its size.</summary>
    public static int WriteC2H(Span<byte> destination, PduError error, ReadOnlySpan<byte> offendingHeader)
    {
        var echo = Math.Min(offendingHeader.Length, MaxErrorDataSize);
        var plen = HeaderLength + echo;
        destination[..HeaderLength].Clear();
        PduHeader.Write(destination, PduType.C2HTermReq, PduFlagBits.None, HeaderLength, 0, (uint)plen);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], (ushort)error.Status);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[10..], error.FieldOffset);
        offendingHeader[..echo].CopyTo(destination[HeaderLength..]);
        return plen;
    }
}
