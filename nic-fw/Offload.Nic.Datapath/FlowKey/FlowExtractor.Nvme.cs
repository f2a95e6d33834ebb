using System.Buffers.Binary;

namespace Offload.Nic.Datapath.FlowKeys;

/// <summary>NVMe/TCP peek (NVMe/TCP Transport Specification 1.0, 3.6.1 common header, 3.6.2.2 CapsuleCmd).</summary>
public static partial class FlowExtractor
{
    /// <summary>PDU type of a Command Capsule PDU.</summary>
    public const byte PduTypeCapsuleCmd = 0x04;

    private const int CommonHeaderSize = 8;
    private const int SqeSize = 64;

    /// <summary>
    /// When the TCP payload starts with a CapsuleCmd common header (type 0x04, HLEN 72) and the whole SQE
    /// is present, records the opcode class and the SGL descriptor length (SQE bytes 32..35, the length
    /// field of the SGL Data Block descriptor in DPTR; NVMe Base 2.0, 4.1.8). Anything else records nothing.
    /// </summary>
    private static void PeekNvme(ReadOnlySpan<byte> payload, ref PacketMetadata meta)
    {
        if (payload.Length < CommonHeaderSize + SqeSize || payload[0] != PduTypeCapsuleCmd || payload[2] != CommonHeaderSize + SqeSize)
        {
            return;
        }

        var sqe = payload.Slice(CommonHeaderSize, SqeSize);
        meta.NvmeClass = sqe[0] switch
        {
            0x02 => NvmeOpcodeClass.Read,
            0x01 => NvmeOpcodeClass.Write,
            _ => NvmeOpcodeClass.Other,
        };
        meta.NvmeDataSize = BinaryPrimitives.ReadUInt32LittleEndian(sqe[32..]);
    }
}
