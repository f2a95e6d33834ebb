using System.Buffers.Binary;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Controller;

/// <summary>Asynchronous Event Request over real sockets: a namespace change on the subsystem completes the held AER
/// with Notice / Namespace Attribute Changed / log 04h, and log page 04h lists the NSID once, then reads empty.</summary>
public sealed class AsyncEventTests
{
    private const uint NoticeNamespaceChanged = 0x0004_0002; // AET 2h, AEI 00h, LID 04h (NVMe Base 2.0 §5.2)

    [Fact]
    public async Task NotifyNamespaceAttributeChanged_HeldAer_CompletesWithNoticeAndLogListsNsidThenEmpties()
    {
        await using var target = TargetFixture.Start();
        using var host = Connect(target, TargetFixture.TenantA);
        EnableNamespaceNotices(host);
        var aerCid = SendAer(host);
        var controller = WaitForHeldAers(target, TargetFixture.TenantA, host.ControllerId, 1);

        // The hook runs on another thread, as offloadd's runtime namespace change will.
        Assert.True(target.Catalog.TryGet(TargetFixture.TenantA, out var subsystem));
        await Task.Run(() => subsystem.NotifyNamespaceAttributeChanged(TargetFixture.TenantANsid));

        var completion = host.ReceiveCompletion();
        Assert.Equal(aerCid, completion.CommandId);
        Assert.True(completion.Status.IsSuccess);
        Assert.Equal(NoticeNamespaceChanged, (uint)completion.Result);
        Assert.Equal(0, controller.HeldAsyncEventRequests);

        Assert.Equal([TargetFixture.TenantANsid], ReadChangedNamespaces(host));
        Assert.Empty(ReadChangedNamespaces(host));
        Assert.Equal(0, target.UnexpectedErrors);
    }

    [Fact]
    public async Task TryRemoveNamespace_RuntimeDetach_CompletesHeldAerWithNotice()
    {
        await using var target = TargetFixture.Start();
        using var host = Connect(target, TargetFixture.TenantA);
        EnableNamespaceNotices(host);
        var aerCid = SendAer(host);
        WaitForHeldAers(target, TargetFixture.TenantA, host.ControllerId, 1);
        Assert.True(target.Catalog.TryGet(TargetFixture.TenantA, out var subsystem));

        // The desired-state applier's runtime detach (SubsystemSet without this namespace) is what raises the event.
        Assert.True(subsystem.TryRemoveNamespace(TargetFixture.TenantANsid, out _));

        var completion = host.ReceiveCompletion();
        Assert.Equal(aerCid, completion.CommandId);
        Assert.Equal(NoticeNamespaceChanged, (uint)completion.Result);
        Assert.Equal([TargetFixture.TenantANsid], ReadChangedNamespaces(host));
    }

    [Fact]
    public async Task NotifyNamespaceAttributeChanged_NoticesDisabled_AerStaysHeldButLogRecords()
    {
        await using var target = TargetFixture.Start();
        using var host = Connect(target, TargetFixture.TenantA);
        var aerCid = SendAer(host);
        WaitForHeldAers(target, TargetFixture.TenantA, host.ControllerId, 1);
        Assert.True(target.Catalog.TryGet(TargetFixture.TenantA, out var subsystem));

        subsystem.NotifyNamespaceAttributeChanged(TargetFixture.TenantANsid);

        // The next PDU is the Keep Alive's answer, not an AER completion.
        var keepAlive = HostInitiator.Sqe(AdminOpcode.KeepAlive, host.NextCid());
        var ka = host.Execute(keepAlive);
        Assert.NotEqual(aerCid, ka.CommandId);
        Assert.Equal([TargetFixture.TenantANsid], ReadChangedNamespaces(host));
    }

    [Fact]
    public async Task NotifyNamespaceAttributeChanged_NoAerOutstanding_NextAerCompletesAtOnce()
    {
        await using var target = TargetFixture.Start();
        using var host = Connect(target, TargetFixture.TenantB, TargetFixture.HostB);
        EnableNamespaceNotices(host);
        Assert.True(target.Catalog.TryGet(TargetFixture.TenantB, out var subsystem));

        subsystem.NotifyNamespaceAttributeChanged(2);
        subsystem.NotifyNamespaceAttributeChanged(1);
        var aerCid = SendAer(host);

        var completion = host.ReceiveCompletion();
        Assert.Equal(aerCid, completion.CommandId);
        Assert.Equal(NoticeNamespaceChanged, (uint)completion.Result);
        Assert.Equal([1u, 2u], ReadChangedNamespaces(host));
    }

    [Fact]
    public async Task NotifyNamespaceAttributeChanged_BeforeLogRead_MaskedUntilLogReadWithoutRae()
    {
        await using var target = TargetFixture.Start();
        using var host = Connect(target, TargetFixture.TenantA);
        EnableNamespaceNotices(host);
        var first = SendAer(host);
        var second = SendAer(host);
        var controller = WaitForHeldAers(target, TargetFixture.TenantA, host.ControllerId, 2);
        Assert.True(target.Catalog.TryGet(TargetFixture.TenantA, out var subsystem));

        subsystem.NotifyNamespaceAttributeChanged(TargetFixture.TenantANsid);
        Assert.Equal(first, host.ReceiveCompletion().CommandId);
        subsystem.NotifyNamespaceAttributeChanged(TargetFixture.TenantANsid);
        Assert.Equal(1, controller.HeldAsyncEventRequests);

        // RAE=1 keeps the event masked and the list intact.
        Assert.Equal([TargetFixture.TenantANsid], ReadChangedNamespaces(host, retain: true));
        subsystem.NotifyNamespaceAttributeChanged(TargetFixture.TenantANsid);
        Assert.Equal(1, controller.HeldAsyncEventRequests);

        // RAE=0 clears and unmasks: the next change completes the second AER.
        Assert.Equal([TargetFixture.TenantANsid], ReadChangedNamespaces(host));
        subsystem.NotifyNamespaceAttributeChanged(TargetFixture.TenantANsid);
        var completion = host.ReceiveCompletion();
        Assert.Equal(second, completion.CommandId);
        Assert.Equal(NoticeNamespaceChanged, (uint)completion.Result);
    }

    [Fact]
    public async Task NotifyNamespaceAttributeChanged_OtherSubsystem_ItsControllersUntouched()
    {
        await using var target = TargetFixture.Start();
        using var a = Connect(target, TargetFixture.TenantA);
        using var b = Connect(target, TargetFixture.TenantB, TargetFixture.HostB);
        EnableNamespaceNotices(a);
        EnableNamespaceNotices(b);
        SendAer(a);
        var bAer = SendAer(b);
        WaitForHeldAers(target, TargetFixture.TenantA, a.ControllerId, 1);
        var bController = WaitForHeldAers(target, TargetFixture.TenantB, b.ControllerId, 1);
        Assert.True(target.Catalog.TryGet(TargetFixture.TenantA, out var subsystemA));

        subsystemA.NotifyNamespaceAttributeChanged(TargetFixture.TenantANsid);

        a.ReceiveCompletion();
        Assert.Equal(1, bController.HeldAsyncEventRequests);
        var ka = b.Execute(HostInitiator.Sqe(AdminOpcode.KeepAlive, b.NextCid()));
        Assert.NotEqual(bAer, ka.CommandId);
        Assert.Empty(ReadChangedNamespaces(b));
    }

    [Fact]
    public async Task AsyncEventRequest_BeyondLimit_AsyncEventLimitExceeded()
    {
        await using var target = TargetFixture.Start();
        using var host = Connect(target, TargetFixture.TenantA);
        for (var i = 0; i < NvmeController.AsyncEventRequestLimit; i++)
        {
            SendAer(host);
        }

        var cid = SendAer(host);
        var completion = host.ReceiveCompletion();
        Assert.Equal(cid, completion.CommandId);
        Assert.Equal(NvmeStatus.AsyncEventLimitExceeded, completion.Status);
    }

    private static HostInitiator Connect(NvmeTcpTarget target, string nqn, string hostNqn = HostInitiator.DefaultHostNqn)
    {
        var host = new HostInitiator(target.LocalEndPoint!);
        host.Initialize();
        host.ConnectAndEnable(nqn, hostNqn: hostNqn);
        return host;
    }

    private static void EnableNamespaceNotices(HostInitiator host)
    {
        var sqe = HostInitiator.Sqe(AdminOpcode.SetFeatures, host.NextCid());
        HostInitiator.SetDword(sqe, 10, 0x0B);
        HostInitiator.SetDword(sqe, 11, NvmeController.AecNamespaceAttributeNotices);
        Assert.True(host.Execute(sqe).Status.IsSuccess);
    }

    private static ushort SendAer(HostInitiator host)
    {
        var cid = host.NextCid();
        host.SendRaw(host.BuildCapsule(HostInitiator.Sqe(AdminOpcode.AsyncEventRequest, cid)));
        return cid;
    }

    private static NvmeController WaitForHeldAers(NvmeTcpTarget target, string nqn, ushort cntlid, int count)
    {
        Assert.True(target.Catalog.TryGet(nqn, out var subsystem));
        Assert.True(subsystem.TryGetController(cntlid, out var controller));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (controller.HeldAsyncEventRequests != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} held AERs, have {controller.HeldAsyncEventRequests}");
            Thread.Sleep(5);
        }

        return controller;
    }

    private static List<uint> ReadChangedNamespaces(HostInitiator host, bool retain = false)
    {
        var page = new byte[4096];
        var sqe = HostInitiator.Sqe(AdminOpcode.GetLogPage, host.NextCid(), uint.MaxValue);
        HostInitiator.SetDword(sqe, 10, NvmeController.LogChangedNamespaces | (retain ? 1u << 15 : 0) | ((uint)(page.Length / 4) - 1) << 16);
        var completion = host.Execute(sqe, readData: page);
        Assert.True(completion.Status.IsSuccess, completion.Status.ToString());
        var list = new List<uint>();
        for (var i = 0; i < page.Length; i += 4)
        {
            var nsid = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(i));
            if (nsid != 0)
            {
                list.Add(nsid);
            }
        }

        return list;
    }
}
