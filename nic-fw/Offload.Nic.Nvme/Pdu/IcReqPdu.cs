using System.Buffers.Binary;

namespace Offload.Nic.Nvme.Pdu;

/// <summary>ICReq (NVMe/TCP 1.0, 3.6.2.2): PFV@8, HPDA@10, DGST@11, MAXR2T@12. hlen = plen = 128, pdo = 0.</summary>
public readonly ref struct IcReqPdu
{
    public const int Size = 128;

    public ushort Pfv { get; init; }

    public byte Hpda { get; init; }

    public bool HeaderDigest { get; init; }

    public bool DataDigest { get; init; }

    public uint MaxR2T { get; init; }

    public static PduError TryParse(ReadOnlySpan<byte> pdu, out IcReqPdu icreq)
    {
        icreq = default;
        if (!PduHeader.TryRead(pdu, out var header) || header.PduLength != Size || pdu.Length < Size)
        {
            return PduError.InvalidField(4);
        }

        if (header.DataOffset != 0)
        {
            return PduError.InvalidField(3);
        }

        var pfv = BinaryPrimitives.ReadUInt16LittleEndian(pdu[8..]);
        if (pfv != 0)
        {
            return new PduError(FatalErrorStatus.UnsupportedParameter, 8);
        }

        var hpda = pdu[10];
        if (hpda > 31)
        {
            return PduError.InvalidField(10);
        }

        var dgst = pdu[11];
        if ((dgst & ~0x03) != 0)
        {
            return PduError.InvalidField(11);
        }

        icreq = new IcReqPdu
        {
            Pfv = pfv,
            Hpda = hpda,
            HeaderDigest = (dgst & 1) != 0,
            DataDigest = (dgst & 2) != 0,
            MaxR2T = BinaryPrimitives.ReadUInt32LittleEndian(pdu[12..]),
        };
        return PduError.None;
    }
}
