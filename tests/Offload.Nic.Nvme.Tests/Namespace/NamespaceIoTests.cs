using System.Buffers.Binary;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Namespace;

public sealed class NamespaceIoTests
{
    [Fact]
    public async Task DatasetManagement_Deallocate_ReadsBackZeroes()
    {
        await using var target = TargetFixture.Start();
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        using var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        Assert.True(io.Connect(TargetFixture.TenantA, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
        var nsid = TargetFixture.TenantANsid;
        var data = InProcessHarness.Pattern(8192, 5);
        Assert.True(io.Write(nsid, 100, data, 512, true).Status.IsSuccess);

        var ranges = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(ranges.AsSpan(4), 8); // 8 blocks
        BinaryPrimitives.WriteUInt64LittleEndian(ranges.AsSpan(8), 104);
        var dsm = HostInitiator.Sqe(IoOpcode.DatasetManagement, io.NextCid(), nsid);
        HostInitiator.SetDword(dsm, 10, 0); // 1 range
        HostInitiator.SetDword(dsm, 11, 1u << 2); // AD
        Assert.True(io.Execute(dsm, writeData: ranges).Status.IsSuccess);

        var back = new byte[8192];
        Assert.True(io.Read(nsid, 100, back, 512).Status.IsSuccess);
        Assert.Equal(data.AsSpan(0, 2048).ToArray(), back.AsSpan(0, 2048).ToArray());
        Assert.All(back.AsSpan(2048, 4096).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(data.AsSpan(6144).ToArray(), back.AsSpan(6144).ToArray());

        var wz = HostInitiator.Sqe(IoOpcode.WriteZeroes, io.NextCid(), nsid);
        HostInitiator.SetQword(wz, 10, 100);
        HostInitiator.SetDword(wz, 12, 3);
        Assert.True(io.Execute(wz).Status.IsSuccess);
        Assert.True(io.Read(nsid, 100, back, 512).Status.IsSuccess);
        Assert.All(back.AsSpan(0, 2048).ToArray(), b => Assert.Equal(0, b));

        var flush = HostInitiator.Sqe(IoOpcode.Flush, io.NextCid(), nsid);
        Assert.True(io.Execute(flush).Status.IsSuccess);

        var badRange = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(badRange.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt64LittleEndian(badRange.AsSpan(8), ulong.MaxValue);
        var dsm2 = HostInitiator.Sqe(IoOpcode.DatasetManagement, io.NextCid(), nsid);
        HostInitiator.SetDword(dsm2, 11, 1u << 2);
        Assert.Equal(NvmeStatus.LbaOutOfRange, io.Execute(dsm2, writeData: badRange).Status);

        Assert.Equal(NvmeStatus.InvalidOpcode, io.Execute(HostInitiator.Sqe(0x7E, io.NextCid(), nsid)).Status);
    }

    [Fact]
    public async Task FileBackedRegion_Restart_DataSurvives()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nvme-region-{Guid.NewGuid():N}.bin");
        try
        {
            var data = InProcessHarness.Pattern(4096, 9);
            var config = TargetFixture.Config();
            config.SharedMemory.Path = path;
            await using (var target = TargetFixture.Start(config))
            {
                using var admin = new HostInitiator(target.LocalEndPoint!);
                admin.Initialize();
                admin.ConnectAndEnable(TargetFixture.TenantA);
                using var io = new HostInitiator(target.LocalEndPoint!);
                io.Initialize();
                Assert.True(io.Connect(TargetFixture.TenantA, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
                Assert.True(io.Write(TargetFixture.TenantANsid, 7, data, 512, false).Status.IsSuccess);
            }

            var config2 = TargetFixture.Config();
            config2.SharedMemory.Path = path;
            await using (var target = TargetFixture.Start(config2))
            {
                Assert.True(target.Catalog.Region.IsFileBacked);
                using var admin = new HostInitiator(target.LocalEndPoint!);
                admin.Initialize();
                admin.ConnectAndEnable(TargetFixture.TenantA);
                using var io = new HostInitiator(target.LocalEndPoint!);
                io.Initialize();
                Assert.True(io.Connect(TargetFixture.TenantA, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
                var back = new byte[4096];
                Assert.True(io.Read(TargetFixture.TenantANsid, 7, back, 512).Status.IsSuccess);
                Assert.Equal(data, back);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task IdentifyActiveNamespaces_TenantB_SeesOnlyItsOwn()
    {
        await using var target = TargetFixture.Start();
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantB, hostNqn: TargetFixture.HostB);
        var sqe = HostInitiator.Sqe(AdminOpcode.Identify, admin.NextCid());
        HostInitiator.SetDword(sqe, 10, 2);
        var list = new byte[4096];
        Assert.True(admin.Execute(sqe, readData: list).Status.IsSuccess);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(list.AsSpan(0)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(list.AsSpan(4)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(list.AsSpan(8)));

        var ns = HostInitiator.Sqe(AdminOpcode.Identify, admin.NextCid(), 1);
        var id = new byte[4096];
        Assert.True(admin.Execute(ns, readData: id).Status.IsSuccess);
        Assert.Equal(1024UL, BinaryPrimitives.ReadUInt64LittleEndian(id.AsSpan(0))); // 4 MiB / 4096
        Assert.Equal(12, id[130]);

        var descs = HostInitiator.Sqe(AdminOpcode.Identify, admin.NextCid(), 2);
        HostInitiator.SetDword(descs, 10, 3);
        Assert.True(admin.Execute(descs, readData: id).Status.IsSuccess);
        Assert.Equal(2, id[0]); // NGUID
        Assert.Equal(16, id[1]);
        Assert.Equal(3, id[20]); // UUID
    }

    [Fact]
    public async Task Read_NamespaceNotReady_NamespaceNotReadyStatus()
    {
        await using var target = TargetFixture.Start();
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        using var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        Assert.True(io.Connect(TargetFixture.TenantA, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
        Assert.True(target.Catalog.TryGet(TargetFixture.TenantA, out var subsystem));
        Assert.True(subsystem.TryGetNamespace(TargetFixture.TenantANsid, out var ns));
        ns.IsReady = false;
        var c = io.Read(TargetFixture.TenantANsid, 0, new byte[512], 512);
        Assert.Equal(NvmeStatus.NamespaceNotReady, c.Status);
        Assert.False(c.Status.DoNotRetry);
        ns.IsReady = true;
        Assert.True(io.Read(TargetFixture.TenantANsid, 0, new byte[512], 512).Status.IsSuccess);
    }
}
