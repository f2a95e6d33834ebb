using Offload.Nic.Nvme.Controller;
using Offload.Nic.Nvme.Namespace;
using Offload.Nic.Nvme.Pdu;
using Offload.Nic.Nvme.Tests.Support;

namespace Offload.Nic.Nvme.Tests.Transport;

/// <summary>Zero-copy reads on the poll group over real sockets: digests over the data actually sent, sends the socket
/// only partly takes (spill in the middle of an iovec), a reset with pinned data pending, and writes racing reads of
/// the same blocks. <see cref="HostInitiator.ReceiveCompletion"/> checks every C2HData's header and data digests.</summary>
public sealed class ZeroCopySendTests
{
    private const int Size = 131072;
    private const int Regions = 32; // the 4 MiB namespace of tenant A in 128 KiB regions

    [Fact]
    public async Task Read_ZeroCopyWithDigests_DataAndDigestsMatch()
    {
        await using var target = TargetFixture.Start();
        using var admin = Admin(target);
        using var io = ConnectIo(target, admin, digests: true, sqFlowControlDisabled: true);
        for (var region = 0; region < 4; region++)
        {
            Assert.True(io.Write(TargetFixture.TenantANsid, Lba(region), InProcessHarness.Pattern(Size, region), 512, inCapsule: false).Status.IsSuccess);
        }

        var readsBefore = target.PollGroup!.ZeroCopyReads;
        for (var region = 0; region < 4; region++)
        {
            var back = new byte[Size];
            var c = io.Read(TargetFixture.TenantANsid, Lba(region), back, 512);
            Assert.True(c.Status.IsSuccess, c.Status.ToString());
            Assert.Equal((byte)PduType.C2HData, c.Pdu[0]); // SQ flow control off: C2HData with SUCCESS, no CapsuleResp
            Assert.Equal(0x01 | 0x02 | 0x08, c.Pdu[1] & 0x0B); // HDGST, DDGST and SUCCESS on the zero-copy C2HData
            Assert.Equal(InProcessHarness.Pattern(Size, region), back);
        }

        Assert.Equal(readsBefore + 4, target.PollGroup.ZeroCopyReads);
        await AssertNoPinsAsync(target, 0, Regions * Size);
        Assert.Equal(0, target.UnexpectedErrors);
    }

    [Fact]
    public async Task Read_BelowZeroCopyThreshold_IsCopied()
    {
        await using var target = TargetFixture.Start();
        using var admin = Admin(target);
        using var io = ConnectIo(target, admin, digests: true);
        var data = InProcessHarness.Pattern(4096, 3);
        Assert.True(io.Write(TargetFixture.TenantANsid, 0, data, 512, inCapsule: true).Status.IsSuccess);
        var back = new byte[4096];
        Assert.True(io.Read(TargetFixture.TenantANsid, 0, back, 512).Status.IsSuccess);
        Assert.Equal(data, back);
        Assert.Equal(0, target.PollGroup!.ZeroCopyReads);
    }

    [Fact]
    public async Task Read_SlowReaderWithDigests_PartialSendsSpillMidIovecAndDataIsIntact()
    {
        await using var target = TargetFixture.Start();
        using var admin = Admin(target);
        using var io = ConnectIo(target, admin, digests: true, receiveBufferSize: 4096);
        WriteRegions(io);
        const int Reads = 48;
        var cids = IssueReads(io, Reads);

        await Task.Delay(300);
        for (var i = 0; i < Reads; i++)
        {
            var back = new byte[Size];
            var c = io.ReceiveCompletion(back);
            Assert.True(c.Status.IsSuccess, c.Status.ToString());
            Assert.Equal(cids[i], c.CommandId);
            Assert.Equal(InProcessHarness.Pattern(Size, i % Regions), back);
        }

        var group = target.PollGroup!;
        Assert.True(group.DeferredSends > 0, "the socket never filled: no partial send was exercised");
        Assert.True(group.SpilledBytes > 0, "no zero-copy batch was spilled");
        Assert.True(group.ZeroCopyReads >= Reads);
        await AssertNoPinsAsync(target, 0, Regions * Size);
        await WaitUntil(() => target.SpillBuffers.Outstanding == 0); // every spill was sent and its buffer returned
        Assert.Equal(0, target.UnexpectedErrors);
    }

    [Fact]
    public async Task Reset_WithZeroCopyReadsPending_PinsAndBuffersReturnAndWritesProceed()
    {
        await using var target = TargetFixture.Start();
        using var admin = Admin(target);
        var baseline = target.Buffers.Outstanding;
        using (var io = ConnectIo(target, admin, receiveBufferSize: 4096))
        {
            WriteRegions(io);
            IssueReads(io, 48);
            await WaitUntil(() => target.PollGroup!.DeferredSends > 0);
            io.ResetConnection();
        }

        await WaitUntil(() => target.ConnectionCount == 1);
        await AssertNoPinsAsync(target, 0, Regions * Size);
        Assert.Equal(baseline, target.Buffers.Outstanding);
        Assert.Equal(0, target.SpillBuffers.Outstanding);

        // Writes to the blocks the reset connection was sending must not wait for pins that nobody will release.
        using var writer = ConnectIo(target, admin);
        var data = InProcessHarness.Pattern(Size, 99);
        var write = Task.Run(() => writer.Write(TargetFixture.TenantANsid, 0, data, 512, inCapsule: false));
        var done = await write.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(done.Status.IsSuccess);
        var back = new byte[Size];
        Assert.True(writer.Read(TargetFixture.TenantANsid, 0, back, 512).Status.IsSuccess);
        Assert.Equal(data, back);
        Assert.Equal(0, target.UnexpectedErrors);
    }

    [Fact]
    public async Task ReadThenWriteSameBlocksInOneBatch_ReadReturnsImageBeforeWrite()
    {
        await using var target = TargetFixture.Start();
        using var admin = Admin(target);
        using var io = ConnectIo(target, admin, digests: true);
        var before = InProcessHarness.Pattern(Size, 1);
        var after = InProcessHarness.Pattern(Size, 2);
        Assert.True(io.Write(TargetFixture.TenantANsid, 0, before, 512, inCapsule: false).Status.IsSuccess);
        var spilledBefore = target.PollGroup!.SpilledBytes;

        // One send: Read (zero-copy, pinned), then an in-capsule Write of the same blocks, then another Read. The
        // Write executes on the same poll thread while the first Read's data is still pinned and unsent.
        var readA = ReadSqe(io, 0);
        var write = HostInitiator.Sqe(IoOpcode.Write, io.NextCid(), TargetFixture.TenantANsid);
        HostInitiator.SetDword(write, 12, 8 - 1);
        HostInitiator.SetSgl(write, SubmissionEntry.SglInCapsule, 0, 4096);
        var readB = ReadSqe(io, 0);
        var batch = io.BuildCapsule(readA).Concat(io.BuildCapsule(write, after.AsSpan(0, 4096))).Concat(io.BuildCapsule(readB)).ToArray();
        io.SendRaw(batch);

        var first = new byte[Size];
        Assert.True(io.ReceiveCompletion(first).Status.IsSuccess);
        Assert.True(io.ReceiveCompletion().Status.IsSuccess);
        var second = new byte[Size];
        Assert.True(io.ReceiveCompletion(second).Status.IsSuccess);
        Assert.Equal(before, first);
        Assert.Equal(after.AsSpan(0, 4096).ToArray(), second.AsSpan(0, 4096).ToArray());
        Assert.Equal(before.AsSpan(4096).ToArray(), second.AsSpan(4096).ToArray());
        Assert.True(target.PollGroup.SpilledBytes > spilledBefore, "the write did not settle the pending zero-copy read");
        await AssertNoPinsAsync(target, 0, Size);
    }

    [Fact]
    public async Task Read_WhileAnotherThreadWritesSameBlocks_EveryBlockIsOneImageAndDigestsMatch()
    {
        await using var target = TargetFixture.Start();
        using var admin = Admin(target);
        using var io = ConnectIo(target, admin, digests: true);
        var store = Store(target);
        var images = new[] { Enumerable.Repeat((byte)0xA1, Size).ToArray(), Enumerable.Repeat((byte)0xB2, Size).ToArray() };
        store.Write(0, images[1]); // every block holds one of the two images before the first read
        using var stop = new CancellationTokenSource();
        var writer = Task.Factory.StartNew(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                store.Write(0, images[i & 1]);
            }
        }, TaskCreationOptions.LongRunning);

        var torn = 0;
        var back = new byte[Size];
        var deadline = DateTime.UtcNow.AddSeconds(2);
        var reads = 0;
        while (reads < 50 || (DateTime.UtcNow < deadline && reads < 2000))
        {
            Assert.True(io.Read(TargetFixture.TenantANsid, 0, back, 512).Status.IsSuccess);
            reads++;
            for (var block = 0; block < Size; block += 512)
            {
                var span = back.AsSpan(block, 512);
                if ((span[0] != 0xA1 && span[0] != 0xB2) || span.IndexOfAnyExcept(span[0]) >= 0)
                {
                    torn++;
                }
            }
        }

        await stop.CancelAsync();
        await writer;
        Assert.True(torn == 0, $"{torn} torn 512-byte blocks in {reads} reads of 128 KiB");
        Assert.True(target.PollGroup!.ZeroCopyReads >= reads);
        await AssertNoPinsAsync(target, 0, Size);
    }

    private static ulong Lba(int region) => (ulong)(region * Size / 512);

    private static HostInitiator Admin(NvmeTcpTarget target)
    {
        var admin = new HostInitiator(target.LocalEndPoint!);
        admin.Initialize();
        admin.ConnectAndEnable(TargetFixture.TenantA);
        return admin;
    }

    private static HostInitiator ConnectIo(NvmeTcpTarget target, HostInitiator admin, bool digests = false, int receiveBufferSize = 0,
        bool sqFlowControlDisabled = false)
    {
        var io = new HostInitiator(target.LocalEndPoint!, receiveBufferSize);
        io.Initialize(digests, digests);
        Assert.True(io.Connect(TargetFixture.TenantA, qid: 1, sqsize: 63, cntlid: admin.ControllerId,
            cattr: sqFlowControlDisabled ? (byte)0x04 : (byte)0).Status.IsSuccess);
        return io;
    }

    private static void WriteRegions(HostInitiator io)
    {
        for (var region = 0; region < Regions; region++)
        {
            var w = io.Write(TargetFixture.TenantANsid, Lba(region), InProcessHarness.Pattern(Size, region), 512, inCapsule: false);
            Assert.True(w.Status.IsSuccess, w.Status.ToString());
        }
    }

    private static byte[] ReadSqe(HostInitiator io, int region)
    {
        var sqe = HostInitiator.Sqe(IoOpcode.Read, io.NextCid(), TargetFixture.TenantANsid);
        HostInitiator.SetQword(sqe, 10, Lba(region));
        HostInitiator.SetDword(sqe, 12, (Size / 512) - 1);
        HostInitiator.SetSgl(sqe, SubmissionEntry.SglTransport, 0, Size);
        return sqe;
    }

    private static ushort[] IssueReads(HostInitiator io, int reads)
    {
        var cids = new ushort[reads];
        for (var i = 0; i < reads; i++)
        {
            var sqe = ReadSqe(io, i % Regions);
            cids[i] = BitConverter.ToUInt16(sqe, 2);
            io.SendRaw(io.BuildCapsule(sqe));
        }

        return cids;
    }

    private static RegionNamespaceStore Store(NvmeTcpTarget target)
    {
        Assert.True(target.Catalog.TryGet(TargetFixture.TenantA, out var subsystem));
        Assert.True(subsystem.TryGetNamespace(TargetFixture.TenantANsid, out var ns));
        return Assert.IsType<RegionNamespaceStore>(ns.Store);
    }

    /// <summary>Every 4 KiB stripe of the range is unpinned. The poll thread unpins a zero-copy segment right after
    /// the send that carried it returns, which can be just after the host has received the data: wait for it (15 s at
    /// most) rather than race it.</summary>
    private static async Task AssertNoPinsAsync(NvmeTcpTarget target, long offset, long size)
    {
        var store = Store(target);
        bool Unpinned()
        {
            for (var o = offset; o < offset + size; o += 4096)
            {
                if (store.Stripes.PinCount(o) != 0)
                {
                    return false;
                }
            }

            return true;
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!Unpinned() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        for (var o = offset; o < offset + size; o += 4096)
        {
            Assert.Equal(0, store.Stripes.PinCount(o));
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the condition");
            await Task.Delay(10);
        }
    }
}
