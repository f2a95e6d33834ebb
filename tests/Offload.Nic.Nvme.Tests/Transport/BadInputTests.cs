using System.Buffers.Binary;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Transport;

/// <summary>The bad-input list: each case gets exactly the spec's answer (C2HTermReq FES+FEI then close, or an
/// NVMe status with DNR); a bystander connection keeps working; the namespace bytes are unchanged.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private NvmeTcpTarget _target = null!;
    private HostInitiator _bystanderAdmin = null!;
    private HostInitiator _bystander = null!;
    private byte[] _before = [];

    public Task InitializeAsync()
    {
        _target = TargetFixture.Start();
        _bystanderAdmin = new HostInitiator(_target.LocalEndPoint!);
        _bystanderAdmin.Initialize();
        _bystanderAdmin.ConnectAndEnable(TargetFixture.TenantB, hostNqn: TargetFixture.HostB);
        _bystander = new HostInitiator(_target.LocalEndPoint!);
        _bystander.Initialize();
        Assert.True(_bystander.Connect(TargetFixture.TenantB, 1, 31, 0, TargetFixture.HostB, _bystanderAdmin.ControllerId).Status.IsSuccess);
        var pattern = new byte[4096];
        Random.Shared.NextBytes(pattern);
        Assert.True(_bystander.Write(1, 0, pattern, 4096, true).Status.IsSuccess);
        _before = Snapshot();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        // Other connections keep working and the namespace bytes are unchanged.
        var buf = new byte[4096];
        Assert.True(_bystander.Read(1, 0, buf, 4096).Status.IsSuccess);
        Assert.Equal(_before, Snapshot());
        Assert.Equal(0, _target.UnexpectedErrors);
        _bystander.Dispose();
        _bystanderAdmin.Dispose();
        await _target.DisposeAsync();
    }

    [Fact]
    public void IcReq_Second_PduSequenceError()
    {
        using var h = Open();
        h.SendRaw(HostInitiator.BuildIcReq());
        AssertTerminated(h, FatalErrorStatus.PduSequenceError, 0);
    }

    [Fact]
    public void Capsule_BeforeIcReq_PduSequenceError()
    {
        using var h = new HostInitiator(_target.LocalEndPoint!);
        h.SendRaw(h.BuildCapsule(HostInitiator.Sqe(AdminOpcode.KeepAlive, 1)));
        AssertTerminated(h, FatalErrorStatus.PduSequenceError, 0);
    }

    [Theory]
    [InlineData(1, 0, 128, FatalErrorStatus.UnsupportedParameter, 8)]
    [InlineData(0, 32, 128, FatalErrorStatus.InvalidHeaderField, 10)]
    [InlineData(0, 0, 129, FatalErrorStatus.InvalidHeaderField, 4)]
    [InlineData(0, 0, 127, FatalErrorStatus.InvalidHeaderField, 4)]
    public void IcReq_BadField_TermReq(int pfv, int hpda, int plen, FatalErrorStatus fes, uint fei)
    {
        using var h = new HostInitiator(_target.LocalEndPoint!);
        h.SendRaw(HostInitiator.BuildIcReq(pfv: (ushort)pfv, hpda: (byte)hpda, plen: plen));
        AssertTerminated(h, fes, fei);
    }

    [Theory]
    [InlineData(0x00, 127)]
    [InlineData(0x00, 129)]
    [InlineData(0x02, 23)]
    [InlineData(0x02, 25)]
    [InlineData(0x04, 71)]
    [InlineData(0x04, 73)]
    [InlineData(0x06, 23)]
    [InlineData(0x06, 25)]
    public void AnyType_HlenOffByOne_InvalidHeaderField(byte type, byte hlen)
    {
        using var h = type == 0 ? new HostInitiator(_target.LocalEndPoint!) : Open();
        var pdu = new byte[200];
        pdu[0] = type;
        pdu[2] = hlen;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), type == 0 ? 128u : 200u);
        h.SendRaw(pdu.AsSpan(0, type == 0 ? 128 : 200));
        AssertTerminated(h, FatalErrorStatus.InvalidHeaderField, 2);
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x03)]
    [InlineData(0x05)]
    [InlineData(0x07)]
    [InlineData(0x08)]
    [InlineData(0x09)]
    [InlineData(0x0A)]
    [InlineData(0xFF)]
    public void Type_NotAllowedFromHost_InvalidHeaderField(byte type)
    {
        using var h = Open();
        var pdu = new byte[24];
        pdu[0] = type;
        pdu[2] = 24;
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), 24);
        h.SendRaw(pdu);
        AssertTerminated(h, FatalErrorStatus.InvalidHeaderField, 0);
    }

    [Fact]
    public void Plen_LessThanHlen_InvalidHeaderField()
    {
        using var h = Open();
        var pdu = h.BuildCapsule(HostInitiator.Sqe(AdminOpcode.KeepAlive, 1));
        BinaryPrimitives.WriteUInt32LittleEndian(pdu.AsSpan(4), 40);
        h.SendRaw(pdu);
        AssertTerminated(h, FatalErrorStatus.InvalidHeaderField, 4);
    }

    [Fact]
    public void HeaderDigest_Flipped_HeaderDigestError()
    {
        using var h = new HostInitiator(_target.LocalEndPoint!);
        h.Initialize(hdgst: true);
        var pdu = h.BuildCapsule(HostInitiator.Sqe(AdminOpcode.KeepAlive, 1));
        pdu[72] ^= 0x01;
        h.SendRaw(pdu);
        AssertTerminated(h, FatalErrorStatus.HeaderDigestError, 0);
    }

    [Theory]
    [InlineData("ttag", FatalErrorStatus.InvalidHeaderField, 10)]
    [InlineData("cccid", FatalErrorStatus.InvalidHeaderField, 8)]
    [InlineData("gap", FatalErrorStatus.InvalidHeaderField, 12)]
    [InlineData("overlap", FatalErrorStatus.InvalidHeaderField, 12)]
    [InlineData("beyond", FatalErrorStatus.DataTransferOutOfRange, 16)]
    [InlineData("maxh2cdata", FatalErrorStatus.DataTransferLimitExceeded, 4)]
    public void H2CData_Bad_TermReq(string kind, FatalErrorStatus fes, uint fei)
    {
        using var io = OpenIoQueue(out var admin);
        using var _ = admin;
        var sqe = HostInitiator.Sqe(IoOpcode.Write, 7, 1);
        HostInitiator.SetDword(sqe, 12, 15); // 16 blocks of 4 KiB = 64 KiB
        HostInitiator.SetSgl(sqe, SubmissionEntry.SglTransport, 0, 65536);
        io.SendRaw(io.BuildCapsule(sqe));
        var r2t = io.ReceivePdu();
        Assert.Equal((byte)PduType.R2T, r2t[0]);
        var ttag = BinaryPrimitives.ReadUInt16LittleEndian(r2t.AsSpan(10));
        var chunk = new byte[4096];
        byte[] pdu = kind switch
        {
            "ttag" => io.BuildH2CData(7, (ushort)(ttag + 1), 0, chunk, false),
            "cccid" => io.BuildH2CData(8, ttag, 0, chunk, false),
            "gap" => io.BuildH2CData(7, ttag, 4096, chunk, false),
            // 64 KiB command: one PDU of 64 KiB + 4 KiB (within MAXH2CDATA) runs past its end.
            "beyond" => io.BuildH2CData(7, ttag, 0, new byte[65536 + 4096], true),
            "maxh2cdata" => io.BuildH2CData(7, ttag, 0, new byte[io.MaxH2CData + 4096], false),
            _ => io.BuildH2CData(7, ttag, 0, chunk, false),
        };
        if (kind == "overlap")
        {
            io.SendRaw(pdu);
            pdu = io.BuildH2CData(7, ttag, 2048, chunk, false);
        }

        io.SendRaw(pdu);
        AssertTerminated(io, fes, fei);
        Assert.Equal(0, WaitForBuffers());
    }

    [Fact]
    public void InCapsule_OffsetNonZero_SglOffsetInvalidDnr()
    {
        using var io = OpenIoQueue(out var admin);
        using var _ = admin;
        var sqe = HostInitiator.Sqe(IoOpcode.Write, io.NextCid(), 1);
        HostInitiator.SetSgl(sqe, SubmissionEntry.SglInCapsule, 16, 4096);
        io.SendRaw(io.BuildCapsule(sqe, new byte[4096]));
        var c = io.ReceiveCompletion();
        Assert.Equal(NvmeStatus.SglOffsetInvalid, c.Status);
        Assert.True(c.Status.DoNotRetry);
        AssertStillWorks(io);
    }

    [Fact]
    public void InCapsule_LengthMismatch_DataSglLengthInvalidDnr()
    {
        using var io = OpenIoQueue(out var admin);
        using var _ = admin;
        var sqe = HostInitiator.Sqe(IoOpcode.Write, io.NextCid(), 1);
        HostInitiator.SetSgl(sqe, SubmissionEntry.SglInCapsule, 0, 4096);
        io.SendRaw(io.BuildCapsule(sqe, new byte[2048]));
        Assert.Equal(NvmeStatus.DataSglLengthInvalid, io.ReceiveCompletion().Status);
        AssertStillWorks(io);
    }

    [Fact]
    public void Write_Sgl4GiB_RejectedBeforeBuffering()
    {
        using var io = OpenIoQueue(out var admin);
        using var _ = admin;
        var sqe = HostInitiator.Sqe(IoOpcode.Write, io.NextCid(), 1);
        HostInitiator.SetSgl(sqe, SubmissionEntry.SglTransport, 0, uint.MaxValue);
        io.SendRaw(io.BuildCapsule(sqe));
        var c = io.ReceiveCompletion();
        Assert.Equal((byte)PduType.CapsuleResponse, c.Pdu[0]); // no R2T
        Assert.Equal(NvmeStatus.DataSglLengthInvalid, c.Status);
        Assert.Equal(0, _target.Buffers.Outstanding);
        AssertStillWorks(io);
    }

    [Theory]
    [InlineData(ulong.MaxValue, 0u)]
    [InlineData(ulong.MaxValue - 1, 3u)]
    [InlineData(1024UL, 0u)]
    public void Read_LbaWraparound_LbaOutOfRangeDnr(ulong slba, uint nlb0)
    {
        using var io = OpenIoQueue(out var admin);
        using var _ = admin;
        var sqe = HostInitiator.Sqe(IoOpcode.Read, io.NextCid(), 1);
        HostInitiator.SetQword(sqe, 10, slba);
        HostInitiator.SetDword(sqe, 12, nlb0);
        var c = io.Execute(sqe, readData: new byte[(nlb0 + 1) * 4096]);
        Assert.Equal(NvmeStatus.LbaOutOfRange, c.Status);
        Assert.True(c.Status.DoNotRetry);
        AssertStillWorks(io);
    }

    [Fact]
    public void Io_OtherTenantsNsid_InvalidNamespace()
    {
        using var io = OpenIoQueue(out var admin);
        using var _ = admin;
        var c = io.Write(TargetFixture.TenantANsid, 0, new byte[512], 512, true);
        Assert.Equal(NvmeStatus.InvalidNamespaceOrFormat, c.Status);
        Assert.True(c.Status.DoNotRetry);
        var sqe = HostInitiator.Sqe(AdminOpcode.Identify, admin.NextCid(), TargetFixture.TenantANsid);
        Assert.Equal(NvmeStatus.InvalidNamespaceOrFormat, admin.Execute(sqe, readData: new byte[4096]).Status);
    }

    [Fact]
    public void DataDigest_Mismatch_TransientTransportErrorAndConnectionLives()
    {
        using var admin = new HostInitiator(_target.LocalEndPoint!);
        admin.Initialize(ddgst: true);
        admin.ConnectAndEnable(TargetFixture.TenantB, hostNqn: TargetFixture.HostB);
        using var io = new HostInitiator(_target.LocalEndPoint!);
        io.Initialize(ddgst: true);
        Assert.True(io.Connect(TargetFixture.TenantB, 1, 31, 0, TargetFixture.HostB, admin.ControllerId).Status.IsSuccess);
        var sqe = HostInitiator.Sqe(IoOpcode.Write, io.NextCid(), 1);
        HostInitiator.SetQword(sqe, 10, 0);
        HostInitiator.SetSgl(sqe, SubmissionEntry.SglInCapsule, 0, 4096);
        io.SendRaw(io.BuildCapsule(sqe, new byte[4096], corruptDataDigest: true));
        var c = io.ReceiveCompletion();
        Assert.Equal(NvmeStatus.TransientTransportError, c.Status);
        Assert.False(c.Status.DoNotRetry);
        AssertStillWorks(io);
    }

    [Fact]
    public void Connect_HostNotOnAllowList_ConnectInvalidHost()
    {
        using var h = Open();
        var c = h.Connect(TargetFixture.TenantA, hostNqn: "nqn.2014-08.org.example:intruder");
        Assert.Equal(NvmeStatus.ConnectInvalidHost, c.Status);
    }

    private HostInitiator Open()
    {
        var h = new HostInitiator(_target.LocalEndPoint!);
        h.Initialize();
        return h;
    }

    private HostInitiator OpenIoQueue(out HostInitiator admin)
    {
        admin = Open();
        admin.ConnectAndEnable(TargetFixture.TenantB, hostNqn: TargetFixture.HostB);
        var io = Open();
        Assert.True(io.Connect(TargetFixture.TenantB, 1, 31, 0, TargetFixture.HostB, admin.ControllerId).Status.IsSuccess);
        return io;
    }

    private static void AssertTerminated(HostInitiator h, FatalErrorStatus fes, uint fei)
    {
        var pdu = h.ReceivePdu();
        Assert.Equal((byte)PduType.C2HTermReq, pdu[0]);
        Assert.Equal((ushort)fes, BinaryPrimitives.ReadUInt16LittleEndian(pdu.AsSpan(8)));
        Assert.Equal(fei, BinaryPrimitives.ReadUInt32LittleEndian(pdu.AsSpan(10)));
        Assert.InRange(pdu.Length, 24, 152);
        Assert.True(h.IsClosedByPeer());
    }

    private static void AssertStillWorks(HostInitiator io)
    {
        var buf = new byte[4096];
        Assert.True(io.Read(1, 0, buf, 4096).Status.IsSuccess);
    }

    private int WaitForBuffers()
    {
        for (var i = 0; i < 200 && _target.Buffers.Outstanding != 0; i++)
        {
            Thread.Sleep(10);
        }

        return _target.Buffers.Outstanding;
    }

    private byte[] Snapshot() => _target.Catalog.Region.Slice(0, (int)_target.Catalog.Region.Size).ToArray();
}
