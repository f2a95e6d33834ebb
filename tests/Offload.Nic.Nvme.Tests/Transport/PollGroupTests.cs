using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Tests.Support;
using Offload.Nic.Nvme.Transport;

namespace Offload.Nic.Nvme.Tests.Transport;

/// <summary>The poll-group driver over real sockets: ownership, the asynchronous fallback, sends deferred by a full
/// socket (EPOLLOUT path) and parking when idle.</summary>
public sealed class PollGroupTests
{
    [Fact]
    public async Task Start_DefaultConfig_PollGroupOwnsConnections()
    {
        Assert.True(PollGroup.IsSupported, "these tests run on Linux x86-64");
        await using var target = TargetFixture.Start();
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        using var io = ConnectIo(target, admin);
        var data = InProcessHarness.Pattern(4096, 7);
        Assert.True(io.Write(TargetFixture.TenantANsid, 0, data, 512, inCapsule: true).Status.IsSuccess);
        var back = new byte[4096];
        Assert.True(io.Read(TargetFixture.TenantANsid, 0, back, 512).Status.IsSuccess);
        Assert.Equal(data, back);
        Assert.NotNull(target.PollGroup);
        Assert.Equal(2, target.PollGroup!.Count);
        Assert.Equal(0, target.UnexpectedErrors);
    }

    [Fact]
    public async Task Start_PollGroupDisabled_AsyncLoopServesIo()
    {
        var config = TargetFixture.Config();
        config.PollGroup = false;
        await using var target = TargetFixture.Start(config);
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        using var io = ConnectIo(target, admin);
        var data = InProcessHarness.Pattern(131072, 9);
        Assert.True(io.Write(TargetFixture.TenantANsid, 0, data, 512, inCapsule: false).Status.IsSuccess);
        var back = new byte[131072];
        Assert.True(io.Read(TargetFixture.TenantANsid, 0, back, 512).Status.IsSuccess);
        Assert.Equal(data, back);
        Assert.Null(target.PollGroup);
    }

    [Fact]
    public async Task Read_SlowReaderWithManyLargeReadsInFlight_DeferredSendsCompleteWithRightData()
    {
        await using var target = TargetFixture.Start();
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        using var io = ConnectIo(target, admin, receiveBufferSize: 4096);
        const int Size = 131072;
        const int Regions = 32; // the 4 MiB namespace in 128 KiB regions
        for (var region = 0; region < Regions; region++)
        {
            var w = io.Write(TargetFixture.TenantANsid, (ulong)(region * Size / 512), InProcessHarness.Pattern(Size, region), 512, inCapsule: false);
            Assert.True(w.Status.IsSuccess, w.Status.ToString());
        }

        // 60 reads (7.5 MiB of C2HData, more than the 4 MiB send-buffer cap) issued without reading: the target's
        // socket fills, its sends defer to EPOLLOUT, and every byte must still arrive in order.
        const int Reads = 60;
        var cids = new ushort[Reads];
        for (var i = 0; i < Reads; i++)
        {
            var sqe = HostInitiator.Sqe(IoOpcode.Read, io.NextCid(), TargetFixture.TenantANsid);
            HostInitiator.SetQword(sqe, 10, (ulong)((i % Regions) * Size / 512));
            HostInitiator.SetDword(sqe, 12, (Size / 512) - 1);
            HostInitiator.SetSgl(sqe, SubmissionEntry.SglTransport, 0, Size);
            cids[i] = BitConverter.ToUInt16(sqe, 2);
            io.SendRaw(io.BuildCapsule(sqe));
        }

        await Task.Delay(300);
        for (var i = 0; i < Reads; i++)
        {
            var back = new byte[Size];
            var c = io.ReceiveCompletion(back);
            Assert.True(c.Status.IsSuccess, c.Status.ToString());
            Assert.Equal(cids[i], c.CommandId);
            Assert.Equal(InProcessHarness.Pattern(Size, i % Regions), back);
        }

        Assert.True(target.PollGroup!.DeferredSends > 0, "the socket never filled: the EPOLLOUT path was not exercised");
        Assert.Equal(0, target.UnexpectedErrors);
    }

    [Fact]
    public async Task Idle_ConnectedQueues_PollThreadParksInEpoll()
    {
        await using var target = TargetFixture.Start();
        using var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        using var io = ConnectIo(target, admin);
        var back = new byte[4096];
        Assert.True(io.Read(TargetFixture.TenantANsid, 0, back, 512).Status.IsSuccess);
        await Task.Delay(100);
        var thread = target.PollGroup!.ThreadProcPath;
        Assert.NotNull(thread);
        var parks = target.PollGroup!.Parks;
        var before = CpuTicks(thread);
        await Task.Delay(1000);
        var used = CpuTicks(thread) - before;

        // A spinning thread would use ~100 ticks (1 s at 100 Hz); parked, it uses ~0 (bound leaves room for noise).
        Assert.True(used <= 5, $"poll thread used {used} ticks in 1 s while idle");
        Assert.True(target.PollGroup.Parks - parks <= 2, "the poll thread woke while nothing happened");
        Assert.True(io.Read(TargetFixture.TenantANsid, 0, back, 512).Status.IsSuccess);

        // The completion reaches the host before the poll thread is back in epoll_wait: wait for it to park.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (target.PollGroup.Parks <= parks)
        {
            Assert.True(DateTime.UtcNow < deadline, "the poll thread did not park again after the read");
            await Task.Delay(10);
        }

        // Parked through epoll_pwait2 (timeouts in ns: a rate-limited command is retried when its token ripens) on
        // kernels that have it (5.11+); older ones fall back to epoll_wait's milliseconds.
        Assert.Equal(Environment.OSVersion.Version >= new Version(5, 11), target.PollGroup.PreciseWaits);
    }

    private static HostInitiator ConnectIo(NvmeTcpTarget target, HostInitiator admin, int receiveBufferSize = 0)
    {
        var io = new HostInitiator(target.LocalEndPoint!, receiveBufferSize);
        io.Initialize();
        Assert.True(io.Connect(TargetFixture.TenantA, qid: 1, sqsize: 63, cntlid: admin.ControllerId).Status.IsSuccess);
        return io;
    }

    private static long CpuTicks(string task)
    {
        var stat = File.ReadAllText(Path.Combine(task, "stat"));
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) +
               long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }
}
