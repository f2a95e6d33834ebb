using System.Diagnostics;
using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Transport;

[Collection(SerialCollection.Name)]
public sealed class ResourceTests
{
    [Fact]
    public async Task ConnectionReset_128WritesInFlight_BufferPoolBackToBaseline()
    {
        await using var target = TargetFixture.Start();
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        var io = new HostInitiator(target.LocalEndPoint!);
        io.Initialize();
        Assert.True(io.Connect(TargetFixture.TenantA, 1, 127, cntlid: admin.ControllerId).Status.IsSuccess);
        for (var i = 0; i < 128; i++)
        {
            var sqe = HostInitiator.Sqe(IoOpcode.Write, (ushort)(100 + i), TargetFixture.TenantANsid);
            HostInitiator.SetQword(sqe, 10, (ulong)i * 8);
            HostInitiator.SetDword(sqe, 12, 7);
            HostInitiator.SetSgl(sqe, SubmissionEntry.SglTransport, 0, 4096);
            io.SendRaw(io.BuildCapsule(sqe));
        }

        for (var i = 0; i < 128; i++)
        {
            Assert.Equal((byte)PduType.R2T, io.ReceivePdu()[0]);
        }

        Assert.Equal(128, target.Buffers.Outstanding);
        io.ResetConnection();
        var sw = Stopwatch.StartNew();
        while (target.Buffers.Outstanding != 0 && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, target.Buffers.Outstanding);
        Assert.True(admin.Execute(HostInitiator.Sqe(AdminOpcode.KeepAlive, admin.NextCid())).Status.IsSuccess);
    }

    [Fact]
    public async Task ConnectDisconnect_1000Cycles_HandlesAndMemoryAtBaseline()
    {
        await using var target = TargetFixture.Start();
        void Cycle()
        {
            using var admin = new HostInitiator(target.LocalEndPoint!);
            admin.Initialize();
            admin.ConnectAndEnable(TargetFixture.TenantA);
            using var io = new HostInitiator(target.LocalEndPoint!);
            io.Initialize();
            Assert.True(io.Connect(TargetFixture.TenantA, 1, 31, cntlid: admin.ControllerId).Status.IsSuccess);
            Assert.True(io.Write(TargetFixture.TenantANsid, 0, new byte[4096], 512, false).Status.IsSuccess);
        }

        for (var i = 0; i < 20; i++)
        {
            Cycle();
        }

        await WaitForIdle(target);
        var handles = Process.GetCurrentProcess().HandleCount;
        var memory = Settle();
        for (var i = 0; i < 500; i++)
        {
            Cycle();
        }

        await WaitForIdle(target);
        var memoryHalfway = Settle();
        for (var i = 0; i < 500; i++)
        {
            Cycle();
        }

        await WaitForIdle(target);
        Assert.Equal(0, target.ConnectionCount);
        Assert.Equal(0, target.Buffers.Outstanding);
        Assert.True(target.Catalog.TryGet(TargetFixture.TenantA, out var a));
        Assert.Equal(0, a.ControllerCount);
        Assert.InRange(Process.GetCurrentProcess().HandleCount, 0, handles + 16);
        // Each connection allocates ~300 KiB of buffers: a per-connection leak would add ~150 MiB per 500 cycles.
        var memoryEnd = Settle();
        Assert.InRange(memoryEnd, 0, memory + (16L << 20));
        Assert.InRange(memoryEnd - memoryHalfway, long.MinValue, 4L << 20);
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }

    private static async Task WaitForIdle(NvmeTcpTarget target)
    {
        var sw = Stopwatch.StartNew();
        while (target.ConnectionCount != 0 && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }
    }
}
