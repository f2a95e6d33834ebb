using System.Buffers.Binary;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Pdu;

public sealed class PduParserTests
{
    private static readonly PduLimits Limits = new() { MaxH2CDataSize = 4096, MaxInCapsuleDataSize = 4096 };

    [Fact]
    public void TryParse_EveryPrefixOfEveryPdu_ReturnsErrorNeverThrows()
    {
        var builder = new PduBuilder(true, true);
        var capsule = new PduBuilder(true, true).Capsule(HostInitiator.Sqe(1, 1, 1), new byte[512]).ToArray();
        var h2c = new PduBuilder(true, true).H2CData(1, 0, 0, new byte[512], true).ToArray();
        var icreq = HostInitiator.BuildIcReq();
        var limits = new PduLimits { HeaderDigest = true, DataDigest = true, MaxH2CDataSize = 4096, MaxInCapsuleDataSize = 4096 };
        Assert.False(CapsuleCommandPdu.TryParse(capsule, limits, out _).IsError);
        Assert.False(H2CDataPdu.TryParse(h2c, limits, out _).IsError);
        Assert.False(IcReqPdu.TryParse(icreq, out _).IsError);
        for (var n = 0; n < capsule.Length; n++)
        {
            Assert.True(CapsuleCommandPdu.TryParse(capsule.AsSpan(0, n), limits, out _).IsError);
        }

        for (var n = 0; n < h2c.Length; n++)
        {
            Assert.True(H2CDataPdu.TryParse(h2c.AsSpan(0, n), limits, out _).IsError);
        }

        for (var n = 0; n < icreq.Length; n++)
        {
            Assert.True(IcReqPdu.TryParse(icreq.AsSpan(0, n), out _).IsError);
            Assert.Equal(n >= 8, PduHeader.TryRead(icreq.AsSpan(0, n), out _));
        }

        _ = builder;
    }

    [Fact]
    public void CapsuleCommand_DataDigestFlipped_ParsesWithDigestInvalid()
    {
        var limits = new PduLimits { DataDigest = true, MaxInCapsuleDataSize = 4096 };
        var pdu = new PduBuilder(false, true).Capsule(HostInitiator.Sqe(1, 1, 1), new byte[512]).ToArray();
        pdu[^1] ^= 0x80;
        Assert.False(CapsuleCommandPdu.TryParse(pdu, limits, out var capsule).IsError);
        Assert.False(capsule.DataDigestValid);
        Assert.Equal(512, capsule.Data.Length);
    }

    [Theory]
    [InlineData(0x04, 72, 72u, false)]
    [InlineData(0x04, 72, 71u, true)]
    [InlineData(0x06, 24, 24u + 4096u, false)]
    [InlineData(0x06, 24, 24u + 4097u, true)]
    [InlineData(0x02, 24, 153u, true)]
    [InlineData(0x00, 128, 128u, true)]
    public void PduHeaderCheck_Bounds_BeforeBuffering(byte type, byte hlen, uint plen, bool error)
    {
        var header = new PduHeader((PduType)type, PduFlagBits.None, hlen, 0, plen);
        Assert.Equal(error, PduHeaderCheck.Validate(header, true, Limits).IsError);
    }

    [Fact]
    public void TermReq_WriteThenParse_RoundTrips()
    {
        var buffer = new byte[152];
        var header = new byte[200];
        var n = TermReqPdu.WriteC2H(buffer, new PduError(FatalErrorStatus.DataTransferOutOfRange, 16), header);
        Assert.Equal(152, n);
        Assert.Equal(152u, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4)));
        Assert.False(TermReqPdu.TryParse(buffer, out var term).IsError);
        Assert.Equal(FatalErrorStatus.DataTransferOutOfRange, term.Status);
        Assert.Equal(16u, term.FieldOffset);
    }

    [Fact]
    public void WriteC2HData_WithDigestsAndHpda_PadsAndDigests()
    {
        var limits = new PduLimits { HeaderDigest = true, DataDigest = true, Hpda = 3 };
        var buffer = new byte[256];
        var pdo = PduWriter.WriteC2HDataHeader(buffer, limits, 9, 0, 64, true, true);
        Assert.Equal(32, pdo); // 24 + 4 rounded up to (3+1)*4 = 16
        new Random(3).NextBytes(buffer.AsSpan(pdo, 64));
        var size = PduWriter.FinishC2HData(buffer, limits, pdo, 64);
        Assert.Equal(pdo + 64 + 4, size);
        Assert.Equal((uint)size, BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4)));
        Assert.True(Crc32C.Verify(buffer.AsSpan(0, 24), buffer.AsSpan(24, 4)));
        Assert.True(Crc32C.Verify(buffer.AsSpan(pdo, 64), buffer.AsSpan(pdo + 64, 4)));
        Assert.Equal(0x0F, buffer[1]); // HDGSTF | DDGSTF | LAST | SUCCESS
    }
}
