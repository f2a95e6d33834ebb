using System.Buffers.Binary;

namespace Offload.Nic.Nvme.Controller;

/// <summary>Builds a 16-byte CQE (NVMe Base 2.0, 4.6): DW0@0, DW1@4, SQHD@8, SQID@10, CID@12, Status/P@14.</summary>
public static class CompletionEntry
{
    public const int Size = 16;

    public static void Write(Span<byte> cqe, ulong result, ushort sqHead, ushort sqId, ushort cid, NvmeStatus status)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(cqe, result);
        BinaryPrimitives.WriteUInt16LittleEndian(cqe[8..], sqHead);
        BinaryPrimitives.WriteUInt16LittleEndian(cqe[10..], sqId);
        BinaryPrimitives.WriteUInt16LittleEndian(cqe[12..], cid);
        BinaryPrimitives.WriteUInt16LittleEndian(cqe[14..], status.ToField());
    }
}
