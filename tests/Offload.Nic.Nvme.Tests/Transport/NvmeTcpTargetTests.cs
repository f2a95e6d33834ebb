using System.Buffers.Binary;
using System.Text;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Transport;

public sealed class NvmeTcpTargetTests
{
    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, true, true)]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    public async Task ReadWrite_RoundTrip_DataMatches(bool hdgst, bool ddgst, bool inCapsule)
    {
        var config = TargetFixture.Config();
        config.MaxH2CDataSize = 32 * 1024; // 128 KiB writes take four H2CData PDUs
        await using var target = TargetFixture.Start(config);
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize(hdgst, ddgst);
        Assert.Equal(hdgst, admin.HeaderDigest);
        admin.ConnectAndEnable(TargetFixture.TenantA);

        using var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize(hdgst, ddgst);
        Assert.True(io.Connect(TargetFixture.TenantA, qid: 1, sqsize: 63, cntlid: admin.ControllerId).Status.IsSuccess);

        foreach (var size in new[] { 512, 4096, 65536, 131072 })
        {
            var data = new byte[size];
            Random.Shared.NextBytes(data);
            var w = io.Write(TargetFixture.TenantANsid, 8, data, 512, inCapsule && size <= 8192);
            Assert.True(w.Status.IsSuccess, w.Status.ToString());
            var back = new byte[size];
            var r = io.Read(TargetFixture.TenantANsid, 8, back, 512);
            Assert.True(r.Status.IsSuccess, r.Status.ToString());
            Assert.Equal(data, back);
        }

        Assert.Equal(0, target.UnexpectedErrors);
    }

    [Fact]
    public async Task Identify_Controller_ReportsSubsystemAndIoccsz()
    {
        await using var target = TargetFixture.Start(TargetFixture.Config(ioccsz: 4));
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        var sqe = HostInitiator.Sqe(AdminOpcode.Identify, admin.NextCid());
        HostInitiator.SetDword(sqe, 10, 1);
        var data = new byte[4096];
        var c = admin.Execute(sqe, readData: data);
        Assert.True(c.Status.IsSuccess);
        Assert.Equal(TargetFixture.TenantA, Encoding.ASCII.GetString(data, 768, 256).TrimEnd('\0'));
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(1792)));
        Assert.Equal(admin.ControllerId, BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(78)));
        Assert.Equal(1, data[111]);
    }

    [Fact]
    public async Task Write_SmallIoccsz_UsesR2TPath()
    {
        await using var target = TargetFixture.Start(TargetFixture.Config(ioccsz: 4));
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        using var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        // With IOCCSZ=4 even the 1 KiB Connect data needs R2T on an I/O queue.
        Assert.True(io.Connect(TargetFixture.TenantA, qid: 1, cntlid: admin.ControllerId, inCapsule: false).Status.IsSuccess);
        var data = new byte[4096];
        Random.Shared.NextBytes(data);
        var sqe = HostInitiator.Sqe(IoOpcode.Write, io.NextCid(), TargetFixture.TenantANsid);
        HostInitiator.SetDword(sqe, 12, 7);
        HostInitiator.SetSgl(sqe, SubmissionEntry.SglInCapsule, 0, 4096);
        io.SendRaw(io.BuildCapsule(sqe, data));
        // In-capsule data beyond IOCCSZ: the capsule is larger than the cap -> fatal Invalid PDU Header Field (plen).
        var term = io.ReceivePdu();
        Assert.Equal((byte)PduType.C2HTermReq, term[0]);
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(term.AsSpan(10)));
    }

    [Fact]
    public async Task Discovery_LogPage_ListsOnlyAllowedSubsystems()
    {
        await using var target = TargetFixture.Start();
        using var host = new HostInitiator(target.LocalEndPoint!);
        host.Initialize();
        Assert.True(host.Connect("nqn.2014-08.org.nvmexpress.discovery").Status.IsSuccess);
        Assert.True(host.PropertySet(ControllerRegisters.Cc, 0x00460001).Status.IsSuccess);
        var sqe = HostInitiator.Sqe(AdminOpcode.GetLogPage, host.NextCid());
        HostInitiator.SetDword(sqe, 10, 0x70u | ((4096u / 4 - 1) << 16));
        var page = new byte[4096];
        var c = host.Execute(sqe, readData: page);
        Assert.True(c.Status.IsSuccess, c.Status.ToString());
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(page.AsSpan(8)));
        Assert.Equal(3, page[1024]);
        Assert.Equal(TargetFixture.TenantA, Encoding.ASCII.GetString(page, 1024 + 256, 256).TrimEnd('\0'));
    }

    [Fact]
    public async Task Read_SqFlowControlDisabled_C2HDataCarriesSuccessNoCapsuleResp()
    {
        await using var target = TargetFixture.Start();
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        using var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        Assert.True(io.Connect(TargetFixture.TenantA, 1, 31, cntlid: admin.ControllerId, cattr: 0x04).Status.IsSuccess);
        var data = new byte[4096];
        var sqe = HostInitiator.Sqe(IoOpcode.Read, io.NextCid(), TargetFixture.TenantANsid);
        HostInitiator.SetDword(sqe, 12, 7);
        var c = io.Execute(sqe, readData: data);
        Assert.Equal((byte)PduType.C2HData, c.Pdu[0]);
        Assert.Equal(0x0C, c.Pdu[1] & 0x0C); // LAST_PDU | SUCCESS
        // The next completion on the queue belongs to the next command: no CapsuleResp was sent for the read.
        var flushCid = io.NextCid();
        var ka = io.Execute(HostInitiator.Sqe(IoOpcode.Flush, flushCid, TargetFixture.TenantANsid));
        Assert.Equal((byte)PduType.CapsuleResponse, ka.Pdu[0]);
        Assert.Equal(flushCid, ka.CommandId);
        Assert.True(ka.Status.IsSuccess);
    }
}
