using System.Buffers.Binary;

namespace Offload.Nic.Nvme.Pdu;

/// <summary>The 8-byte common header of every NVMe/TCP PDU (NVMe/TCP 1.0, 3.6.1): type, flags, hlen, pdo, plen.</summary>
public readonly record struct PduHeader(PduType Type, PduFlagBits Flags, byte HeaderLength, byte DataOffset, uint PduLength)
{
    public const int Size = 8;
    public const int DigestSize = 4;

    public bool HasHeaderDigest => (Flags & PduFlagBits.HeaderDigest) != 0;

    public bool HasDataDigest => (Flags & PduFlagBits.DataDigest) != 0;

    /// <summary>Reads the common header. Returns false (consumes nothing) when fewer than 8 bytes are available.</summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out PduHeader header)
    {
        if (buffer.Length < Size)
        {
            header = default;
            return false;
        }

        header = new PduHeader((PduType)buffer[0], (PduFlagBits)buffer[1], buffer[2], buffer[3],
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[4..]));
        return true;
    }

    public static void Write(Span<byte> destination, PduType type, PduFlagBits flags, byte hlen, byte pdo, uint plen)
    {
        destination[0] = (byte)type;
        destination[1] = (byte)flags;
        destination[2] = hlen;
        destination[3] = pdo;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], plen);
    }

    /// <summary>Fixed header length (hlen) the spec assigns to each PDU type.</summary>
    public static int ExpectedHeaderLength(PduType type) => type switch
    {
        PduType.ICReq or PduType.ICResp => 128,
        PduType.CapsuleCommand => 72,
        PduType.CapsuleResponse or PduType.H2CData or PduType.C2HData or PduType.R2T => 24,
        PduType.H2CTermReq or PduType.C2HTermReq => 24,
        _ => -1,
    };
}
