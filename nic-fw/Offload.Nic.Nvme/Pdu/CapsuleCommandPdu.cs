namespace Offload.Nic.Nvme.Pdu;

/// <summary>
/// CapsuleCmd (NVMe/TCP 1.0, 3.6.2.6): 8-byte header, 64-byte SQE at offset 8, optional HDGST, in-capsule data at
/// PDO, optional DDGST. A data digest mismatch is not fatal: the command completes with Transient Transport Error.
/// </summary>
public readonly ref struct CapsuleCommandPdu
{
    public const int HeaderLength = 72;
    public const int SqeSize = 64;

    public ReadOnlySpan<byte> Sqe { get; init; }

    public ReadOnlySpan<byte> Data { get; init; }

    public bool DataDigestValid { get; init; }

    public static PduError TryParse(ReadOnlySpan<byte> pdu, PduLimits limits, out CapsuleCommandPdu capsule)
    {
        capsule = default;
        if (!PduHeader.TryRead(pdu, out var header) || pdu.Length < header.PduLength || header.HeaderLength != HeaderLength)
        {
            return PduError.InvalidField(2);
        }

        var error = PduData.TryLocate(pdu, header, limits, out var offset, out var length, out var digestValid);
        if (error.IsError)
        {
            return error;
        }

        if (length > limits.MaxInCapsuleDataSize)
        {
            return PduError.InvalidField(4);
        }

        capsule = new CapsuleCommandPdu
        {
            Sqe = pdu.Slice(8, SqeSize),
            Data = pdu.Slice(offset, length),
            DataDigestValid = digestValid,
        };
        return PduError.None;
    }
}
