using System.Buffers.Binary;

namespace Offload.Nic.Nvme.Controller;

/// <summary>
/// View over a 64-byte SQE (NVMe Base 2.0, 4.2 Common Command Format): OPC@0, FUSE/PSDT@1, CID@2, NSID@4,
/// DPTR (SGL descriptor) @24 (address@24, length@32, SGL identifier@39), CDW10..15 @40..63.
/// </summary>
public readonly ref struct SubmissionEntry(ReadOnlySpan<byte> sqe)
{
    /// <summary>SGL identifier for a Data Block descriptor with Offset subtype: in-capsule data.</summary>
    public const byte SglInCapsule = 0x01;

    /// <summary>SGL identifier for a Transport SGL Data Block descriptor, transport specific subtype (NVMe/TCP).</summary>
    public const byte SglTransport = 0x5A;

    private readonly ReadOnlySpan<byte> _sqe = sqe;

    public ReadOnlySpan<byte> Bytes => _sqe;

    public byte Opcode => _sqe[0];

    public ushort CommandId => BinaryPrimitives.ReadUInt16LittleEndian(_sqe[2..]);

    public uint Nsid => BinaryPrimitives.ReadUInt32LittleEndian(_sqe[4..]);

    /// <summary>Fabrics commands (opcode 7Fh) carry FCTYPE in byte 4.</summary>
    public byte FabricsType => _sqe[4];

    public ulong SglAddress => BinaryPrimitives.ReadUInt64LittleEndian(_sqe[24..]);

    public uint SglLength => BinaryPrimitives.ReadUInt32LittleEndian(_sqe[32..]);

    public byte SglIdentifier => _sqe[39];

    public uint Dword(int index) => BinaryPrimitives.ReadUInt32LittleEndian(_sqe[(index * 4)..]);

    public ulong Qword(int index) => BinaryPrimitives.ReadUInt64LittleEndian(_sqe[(index * 4)..]);
}
