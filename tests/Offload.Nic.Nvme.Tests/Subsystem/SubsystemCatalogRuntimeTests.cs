using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Subsystem;

/// <summary>Runtime subsystems, namespaces and allow-lists (the host's SubsystemSet / SubsystemRemove) on a real target.</summary>
public sealed class SubsystemCatalogRuntimeTests
{
    private const string Nqn = "nqn.2026-01.io.offload:runtime";

    // An enabled admin queue and one I/O queue on subsystem Nqn, as the default host.
    private static (HostInitiator Admin, HostInitiator Io) ConnectIo(NvmeTcpTarget target)
    {
        var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(Nqn);
        var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        Assert.True(io.Connect(Nqn, qid: 1, cntlid: admin.ControllerId).Status.IsSuccess);
        return (admin, io);
    }

    private static NamespaceSpec Ns(uint nsid, long size = 1 << 20, int blockSize = 512, string? path = null) => new(nsid, size, blockSize, path);

    [Fact]
    public async Task TrySet_NewSubsystem_AllowedHostConnectsWritesAndReadsBack()
    {
        await using var target = TargetFixture.Start();
        Assert.True(target.Catalog.TrySet(Nqn, false, [HostInitiator.DefaultHostNqn], [Ns(5)], out var error), error);

        var (admin, io) = ConnectIo(target);
        using var adminOwner = admin;
        using var ioOwner = io;
        var data = new byte[4096];
        Random.Shared.NextBytes(data);
        Assert.True(io.Write(5, 0, data, 512, inCapsule: true).Status.IsSuccess);
        var back = new byte[4096];
        Assert.True(io.Read(5, 0, back, 512).Status.IsSuccess);
        Assert.Equal(data, back);
        Assert.Equal(0, target.UnexpectedErrors);
    }

    [Fact]
    public async Task TrySet_HostNotInAllowList_ConnectRefusedWithInvalidHost()
    {
        await using var target = TargetFixture.Start();
        Assert.True(target.Catalog.TrySet(Nqn, false, [TargetFixture.HostB], [Ns(1)], out var error), error);
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        Assert.Equal(NvmeStatus.ConnectInvalidHost, admin.Connect(Nqn).Status);
    }

    [Fact]
    public async Task TrySet_AllowListShrinks_ConnectedHostIsDisconnected()
    {
        await using var target = TargetFixture.Start();
        Assert.True(target.Catalog.TrySet(Nqn, false, [HostInitiator.DefaultHostNqn], [Ns(1)], out _));
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(Nqn);
        Assert.True(target.Catalog.TryGet(Nqn, out var subsystem));
        Assert.Equal(1, subsystem.ControllerCount);

        Assert.True(target.Catalog.TrySet(Nqn, false, [TargetFixture.HostB], [Ns(1)], out _));

        Assert.Equal(0, subsystem.ControllerCount);
        Assert.True(admin.IsClosedByPeer());
    }

    [Fact]
    public async Task TrySet_NamespaceRemovedAndUnchangedKept_IoToRemovedFailsDataInKeptSurvives()
    {
        await using var target = TargetFixture.Start();
        Assert.True(target.Catalog.TrySet(Nqn, true, [], [Ns(1), Ns(2)], out _));
        var (admin, io) = ConnectIo(target);
        using var adminOwner = admin;
        using var ioOwner = io;
        var data = new byte[512];
        Random.Shared.NextBytes(data);
        Assert.True(io.Write(1, 3, data, 512, inCapsule: true).Status.IsSuccess);

        Assert.True(target.Catalog.TrySet(Nqn, true, [], [Ns(1)], out _));

        Assert.Equal(NvmeStatus.InvalidNamespaceOrFormat, io.Write(2, 0, data, 512, inCapsule: true).Status);
        var back = new byte[512];
        Assert.True(io.Read(1, 3, back, 512).Status.IsSuccess);
        Assert.Equal(data, back);
    }

    [Fact]
    public async Task TryRemove_ConnectedSubsystem_ControllersFailAndNewConnectsAreRefused()
    {
        await using var target = TargetFixture.Start();
        Assert.True(target.Catalog.TrySet(Nqn, true, [], [Ns(1)], out _));
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(Nqn);

        Assert.True(target.Catalog.TryRemove(Nqn, out var failed, out _));

        Assert.Equal(1, failed);
        Assert.True(admin.IsClosedByPeer());
        Assert.False(target.Catalog.TryGet(Nqn, out _));
        using var again = new HostInitiator(target.LocalEndPoint!);
        again.Initialize();
        Assert.False(again.Connect(Nqn).Status.IsSuccess);
        Assert.True(target.Catalog.TryRemove(Nqn, out _, out _)); // idempotent
    }

    [Fact]
    public async Task TrySet_FileBackedNamespace_DataLandsInTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"offload-ns-{Guid.NewGuid():N}.img");
        try
        {
            await using (var target = TargetFixture.Start())
            {
                Assert.True(target.Catalog.TrySet(Nqn, true, [], [Ns(1, 64 * 1024, 4096, path)], out var error), error);
                var (admin, io) = ConnectIo(target);
                using var adminOwner = admin;
                using var ioOwner = io;
                var data = new byte[4096];
                Array.Fill(data, (byte)0x5A);
                Assert.True(io.Write(1, 2, data, 4096, inCapsule: true).Status.IsSuccess);
                Assert.True(io.Execute(HostInitiator.Sqe(IoOpcode.Flush, io.NextCid(), 1)).Status.IsSuccess);
            }

            var bytes = await File.ReadAllBytesAsync(path);
            Assert.Equal(64 * 1024, bytes.Length);
            Assert.All(bytes.AsSpan(2 * 4096, 4096).ToArray(), b => Assert.Equal(0x5A, b));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("", 1u, 4096L, 512, null, "invalid")]
    [InlineData("nqn.2014-08.org.nvmexpress.discovery", 1u, 4096L, 512, null, "discovery")]
    [InlineData(Nqn, 0u, 4096L, 512, null, "NSID")]
    [InlineData(Nqn, 1u, 4096L, 1024, null, "block size 1024")]
    [InlineData(Nqn, 1u, 1000L, 512, null, "size 1000")]
    [InlineData(Nqn, 1u, -512L, 512, null, "size -512")]
    [InlineData(Nqn, 1u, 4096L, 512, "relative.img", "not an absolute path")]
    [InlineData(Nqn, 1u, 4096L, 512, "/nonexistent-dir/x/ns.img", "cannot open backing file")]
    public async Task TrySet_BadInput_RefusedWithReasonAndNothingChanged(string nqn, uint nsid, long size, int blockSize, string? path, string expected)
    {
        await using var target = TargetFixture.Start();
        Assert.False(target.Catalog.TrySet(nqn, true, [], [Ns(nsid, size, blockSize, path)], out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(target.Catalog.TryGet(Nqn, out _));
    }

    [Fact]
    public async Task TryRemove_DiscoveryNqn_Refused()
    {
        await using var target = TargetFixture.Start();
        Assert.False(target.Catalog.TryRemove(NvmeSubsystem.DiscoveryNqn, out _, out var error));
        Assert.Contains("discovery", error, StringComparison.Ordinal);
    }
}
