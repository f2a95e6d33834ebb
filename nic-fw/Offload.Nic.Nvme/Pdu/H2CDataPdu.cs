using System.Buffers.Binary;

namespace Offload.Nic.Nvme.Pdu;

/// <summary>H2CData (NVMe/TCP 1.0, 3.6.2.10): CCCID@8, TTAG@10, DATAO@12, DATAL@16; data at PDO.</summary>
public readonly ref struct H2CDataPdu
{
    public const int HeaderLength = 24;

    public ushort CommandId { get; init; }

    public ushort TransferTag { get; init; }

    public uint DataOffset { get; init; }

    public uint DataLength { get; init; }

    public bool Last { get; init; }

    public ReadOnlySpan<byte> Data { get; init; }

    public bool DataDigestValid { get; init; }

    public static PduError TryParse(ReadOnlySpan<byte> pdu, PduLimits limits, out H2CDataPdu data)
    {
        data = default;
        if (!PduHeader.TryRead(pdu, out var header) || pdu.Length < header.PduLength || header.HeaderLength != HeaderLength)
        {
            return PduError.InvalidField(2);
        }

        var error = PduData.TryLocate(pdu, header, limits, out var offset, out var length, out var digestValid);
        if (error.IsError)
        {
            return error;
        }

        var datal = BinaryPrimitives.ReadUInt32LittleEndian(pdu[16..]);
        if (datal > (uint)limits.MaxH2CDataSize)
        {
            return new PduError(FatalErrorStatus.DataTransferLimitExceeded, 16);
        }

        if (length == 0 || datal != (uint)length)
        {
            return PduError.InvalidField(16);
        }

        data = new H2CDataPdu
        {
            CommandId = BinaryPrimitives.ReadUInt16LittleEndian(pdu[8..]),
            TransferTag = BinaryPrimitives.ReadUInt16LittleEndian(pdu[10..]),
            DataOffset = BinaryPrimitives.ReadUInt32LittleEndian(pdu[12..]),
            DataLength = datal,
            Last = (header.Flags & PduFlagBits.LastPdu) != 0,
            Data = pdu.Slice(offset, length),
            DataDigestValid = digestValid,
        };
        return PduError.None;
    }
}
