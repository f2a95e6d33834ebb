using System.Diagnostics;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Controller;

public sealed class FabricsStateTests
{
    [Fact]
    public async Task PropertySet_CcEnableAndShutdown_CstsFollows()
    {
        await using var target = TargetFixture.Start();
        using var h = new HostInitiator(target.LocalEndPoint!);
        h.Initialize();
        Assert.True(h.Connect(TargetFixture.TenantA).Status.IsSuccess);
        var cap = h.PropertyGet(ControllerRegisters.Cap, eightBytes: true);
        Assert.True(cap.Status.IsSuccess);
        Assert.Equal(127UL, cap.Result & 0xFFFF); // MQES
        Assert.Equal(ControllerRegisters.Version, (uint)h.PropertyGet(ControllerRegisters.Vs).Result);
        Assert.Equal(0UL, h.PropertyGet(ControllerRegisters.Csts).Result & 1);

        // Admin commands before CC.EN=1 are a command sequence error.
        var id = HostInitiator.Sqe(AdminOpcode.Identify, h.NextCid());
        HostInitiator.SetDword(id, 10, 1);
        Assert.Equal(NvmeStatus.CommandSequenceError, h.Execute(id, readData: new byte[4096]).Status);

        Assert.True(h.PropertySet(ControllerRegisters.Cc, 0x00460001).Status.IsSuccess);
        Assert.Equal(1UL, h.PropertyGet(ControllerRegisters.Csts).Result & 1);
        Assert.Equal(0x00460001UL, h.PropertyGet(ControllerRegisters.Cc).Result);

        Assert.True(h.PropertySet(ControllerRegisters.Cc, 0x00464001).Status.IsSuccess); // SHN = normal
        var csts = h.PropertyGet(ControllerRegisters.Csts).Result;
        Assert.Equal(2UL, (csts >> 2) & 3); // SHST = complete

        Assert.True(h.PropertySet(ControllerRegisters.Cc, 0x00460000).Status.IsSuccess); // EN = 0
        Assert.Equal(0UL, h.PropertyGet(ControllerRegisters.Csts).Result & 1);
        Assert.Equal(NvmeStatus.InvalidField, h.PropertySet(ControllerRegisters.Csts, 1).Status);
    }

    [Fact]
    public async Task Connect_IoQueueBeforeEnable_Rejected_AfterEnable_Accepted()
    {
        await using var target = TargetFixture.Start();
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        Assert.True(admin.Connect(TargetFixture.TenantA).Status.IsSuccess);
        using (var early = new HostInitiator(target.LocalEndPoint!))
        {
            early.Initialize();
            Assert.False(early.Connect(TargetFixture.TenantA, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
        }

        Assert.True(admin.PropertySet(ControllerRegisters.Cc, 0x00460001).Status.IsSuccess);
        var nq = HostInitiator.Sqe(AdminOpcode.SetFeatures, admin.NextCid());
        HostInitiator.SetDword(nq, 10, 0x07);
        HostInitiator.SetDword(nq, 11, 0x00010001);
        var granted = admin.Execute(nq);
        Assert.Equal(0x00010001UL, granted.Result);

        using var io1 = new HostInitiator(target.LocalEndPoint!);
        io1.Initialize();
        Assert.True(io1.Connect(TargetFixture.TenantA, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
        using var io3 = new HostInitiator(target.LocalEndPoint!);
        io3.Initialize();
        Assert.Equal(NvmeStatus.ConnectInvalidParameters, io3.Connect(TargetFixture.TenantA, 3, 31, cntlid: admin.ControllerId).Status);
        using var wrong = new HostInitiator(target.LocalEndPoint!);
        wrong.Initialize();
        Assert.Equal(NvmeStatus.ConnectInvalidParameters, wrong.Connect(TargetFixture.TenantA, 2, 31, cntlid: 999).Status);
    }

    [Fact]
    public async Task KeepAlive_Kato5sStopped_OnlyThatControllerFails()
    {
        await using var target = TargetFixture.Start();
        using var silent = new HostInitiator(target.LocalEndPoint!);
        silent.Initialize();
        silent.ConnectAndEnable(TargetFixture.TenantA, katoMs: 5000);
        using var silentIo = new HostInitiator(target.LocalEndPoint!);
        silentIo.Initialize();
        Assert.True(silentIo.Connect(TargetFixture.TenantA, 1, 31, cntlid: silent.ControllerId).Status.IsSuccess);
        Assert.True(target.Catalog.TryGet(TargetFixture.TenantA, out var subsystemA));
        Assert.True(subsystemA.TryGetController(silent.ControllerId, out var silentController));

        using var alive = new HostInitiator(target.LocalEndPoint!);
        alive.Initialize();
        alive.ConnectAndEnable(TargetFixture.TenantB, katoMs: 5000, hostNqn: TargetFixture.HostB);

        var sw = Stopwatch.StartNew();
        while (!silentController.IsFailed && sw.Elapsed < TimeSpan.FromSeconds(15))
        {
            Assert.True(alive.Execute(HostInitiator.Sqe(AdminOpcode.KeepAlive, alive.NextCid())).Status.IsSuccess);
            Thread.Sleep(250);
        }

        Assert.True(silentController.IsFailed);
        Assert.InRange(sw.Elapsed.TotalSeconds, 4.0, 7.0);
        Assert.NotEqual(0u, silentController.Csts & ControllerRegisters.CstsFatal);
        Assert.True(silent.IsClosedByPeer());
        Assert.True(silentIo.IsClosedByPeer());
        Assert.True(alive.Execute(HostInitiator.Sqe(AdminOpcode.KeepAlive, alive.NextCid())).Status.IsSuccess);
        Assert.Equal(1, target.Catalog.Subsystems.Sum(s => s.ControllerCount));
    }
}
