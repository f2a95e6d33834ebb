using System.Buffers.Binary;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;

namespace Offload.Nic.Nvme.Tests.Support;

/// <summary>Builds host-to-controller byte streams (no socket) for in-process tests, mutation and benchmarks.</summary>
public sealed class PduBuilder(bool headerDigest = false, bool dataDigest = false)
{
    private readonly MemoryStream _stream = new();

    public bool HeaderDigest { get; } = headerDigest;

    public bool DataDigest { get; } = dataDigest;

    public byte[] ToArray() => _stream.ToArray();

    public PduBuilder Raw(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        return this;
    }

    public PduBuilder IcReq() => Raw(HostInitiator.BuildIcReq(HeaderDigest, DataDigest));

    public PduBuilder Capsule(byte[] sqe, ReadOnlySpan<byte> data = default)
    {
        if (data.Length > 0)
        {
            HostInitiator.SetSgl(sqe, SubmissionEntry.SglInCapsule, 0, (uint)data.Length);
        }

        var hd = HeaderDigest ? 4 : 0;
        var dd = DataDigest && data.Length > 0 ? 4 : 0;
        var plen = 72 + hd + data.Length + dd;
        var pdu = new byte[plen];
        pdu[0] = 0x04;
        pdu[1] = (byte)((hd != 0 ? 1 : 0) | (dd != 0 ? 2 : 0));
        pdu[2] = 72;
        pdu[3] = data.Length > 0 ? (byte)(72 + hd) : (byte)0;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), (uint)plen);
        sqe.CopyTo(pdu, 8);
        if (hd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(72), Crc32C.Compute(pdu.AsSpan(0, 72)));
        }

        data.CopyTo(pdu.AsSpan(72 + hd));
        if (dd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(72 + hd + data.Length), Crc32C.Compute(data));
        }

        return Raw(pdu);
    }

    public PduBuilder H2CData(ushort cid, ushort ttag, uint offset, ReadOnlySpan<byte> data, bool last)
    {
        var hd = HeaderDigest ? 4 : 0;
        var dd = DataDigest ? 4 : 0;
        var pdo = 24 + hd;
        var pdu = new byte[pdo + data.Length + dd];
        pdu[0] = 0x06;
        pdu[1] = (byte)((hd != 0 ? 1 : 0) | (dd != 0 ? 2 : 0) | (last ? 4 : 0));
        pdu[2] = 24;
        pdu[3] = (byte)pdo;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), (uint)pdu.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(8), cid);
        BinaryPrimitives.WriteUInt16LittleEndian(pdu.AsSpan(10), ttag);
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(12), offset);
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(16), (uint)data.Length);
        if (hd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(24), Crc32C.Compute(pdu.AsSpan(0, 24)));
        }

        data.CopyTo(pdu.AsSpan(pdo));
        if (dd != 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(pdo + data.Length), Crc32C.Compute(data));
        }

        return Raw(pdu);
    }

    public PduBuilder Connect(string subNqn, ushort qid, ushort cntlid, string hostNqn, uint katoMs = 0)
    {
        var sqe = HostInitiator.Sqe(AdminOpcode.Fabrics, (ushort)(qid + 1));
        sqe[4] = FabricsType.Connect;
        BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(42), qid);
        BinaryPrimitives.WriteUInt16LittleEndian(sqe.AsSpan(44), 15);
        BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(48), katoMs);
        return Capsule(sqe, HostInitiator.ConnectData(subNqn, hostNqn, new Guid("11111111-2222-3333-4444-555555555555"), cntlid));
    }

    public PduBuilder PropertySet(ushort cid, uint offset, uint value)
    {
        var sqe = HostInitiator.Sqe(AdminOpcode.Fabrics, cid);
        sqe[4] = FabricsType.PropertySet;
        HostInitiator.SetDword(sqe, 11, offset);
        HostInitiator.SetQword(sqe, 12, value);
        return Capsule(sqe);
    }

    public PduBuilder Command(byte opcode, ushort cid, uint nsid, uint cdw10 = 0, uint cdw11 = 0, uint cdw12 = 0, uint readLength = 0)
    {
        var sqe = HostInitiator.Sqe(opcode, cid, nsid);
        HostInitiator.SetDword(sqe, 10, cdw10);
        HostInitiator.SetDword(sqe, 11, cdw11);
        HostInitiator.SetDword(sqe, 12, cdw12);
        HostInitiator.SetSgl(sqe, SubmissionEntry.SglTransport, 0, readLength);
        return Capsule(sqe);
    }

    /// <summary>A Write that takes the R2T path: capsule without data, then H2CData PDUs of maxH2C bytes.</summary>
    public PduBuilder WriteViaR2T(ushort cid, uint nsid, ulong slba, byte[] data, int blockSize, ushort expectedTtag, int maxH2C)
    {
        var sqe = HostInitiator.Sqe(IoOpcode.Write, cid, nsid);
        HostInitiator.SetQword(sqe, 10, slba);
        HostInitiator.SetDword(sqe, 12, (uint)(data.Length / blockSize) - 1);
        HostInitiator.SetSgl(sqe, SubmissionEntry.SglTransport, 0, (uint)data.Length);
        Capsule(sqe);
        for (var off = 0; off < data.Length; off += maxH2C)
        {
            var n = Math.Min(maxH2C, data.Length - off);
            H2CData(cid, expectedTtag, (uint)off, data.AsSpan(off, n), off + n == data.Length);
        }

        return this;
    }

    public PduBuilder WriteInCapsule(ushort cid, uint nsid, ulong slba, byte[] data, int blockSize)
    {
        var sqe = HostInitiator.Sqe(IoOpcode.Write, cid, nsid);
        HostInitiator.SetQword(sqe, 10, slba);
        HostInitiator.SetDword(sqe, 12, (uint)(data.Length / blockSize) - 1);
        return Capsule(sqe, data);
    }

    public PduBuilder Read(ushort cid, uint nsid, ulong slba, int length, int blockSize)
    {
        var sqe = HostInitiator.Sqe(IoOpcode.Read, cid, nsid);
        HostInitiator.SetQword(sqe, 10, slba);
        HostInitiator.SetDword(sqe, 12, (uint)(length / blockSize) - 1);
        HostInitiator.SetSgl(sqe, SubmissionEntry.SglTransport, 0, (uint)length);
        return Capsule(sqe);
    }
}
