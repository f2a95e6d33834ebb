using Offload.Host.Nics;

namespace Offload.Host.Tests.Nics;

public sealed class NicRegistryTests
{
    private static readonly DateTimeOffset Connected = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static NicInfo Nic(string boardId, TimeSpan? rtt = null) =>
        new(boardId, "1.2.0", 1, "tcp://127.0.0.1:7400", Connected, rtt, ["flow-offload"]);

    [Fact]
    public void Snapshot_Empty_ReturnsNoNics()
    {
        var registry = new NicRegistry();

        Assert.Empty(registry.Snapshot());
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void Upsert_SameBoardIdTwice_ReplacesEntry()
    {
        var registry = new NicRegistry();
        registry.Upsert(Nic("qemu-0"));

        registry.Upsert(Nic("qemu-0") with { FirmwareVersion = "1.3.0" });

        var nic = Assert.Single(registry.Snapshot());
        Assert.Equal("1.3.0", nic.FirmwareVersion);
    }

    [Fact]
    public void Snapshot_SeveralNics_OrderedByBoardIdOrdinal()
    {
        var registry = new NicRegistry();
        registry.Upsert(Nic("qemu-2"));
        registry.Upsert(Nic("bf3-a"));
        registry.Upsert(Nic("qemu-10"));

        var ids = registry.Snapshot().Select(n => n.BoardId).ToArray();

        Assert.Equal(["bf3-a", "qemu-10", "qemu-2"], ids);
    }

    [Fact]
    public void Snapshot_LaterChanges_DoNotAffectEarlierSnapshot()
    {
        var registry = new NicRegistry();
        registry.Upsert(Nic("qemu-0"));
        var before = registry.Snapshot();

        registry.Upsert(Nic("qemu-1"));
        registry.TryRemove("qemu-0");

        Assert.Equal("qemu-0", Assert.Single(before).BoardId);
    }

    [Fact]
    public void TryRemove_Registered_ReturnsTrueAndRemoves()
    {
        var registry = new NicRegistry();
        registry.Upsert(Nic("qemu-0"));

        Assert.True(registry.TryRemove("qemu-0"));
        Assert.Empty(registry.Snapshot());
        Assert.False(registry.TryRemove("qemu-0"));
    }

    [Fact]
    public void TryUpdateRtt_Registered_SetsRttKeepsOtherFields()
    {
        var registry = new NicRegistry();
        registry.Upsert(Nic("qemu-0"));

        Assert.True(registry.TryUpdateRtt("qemu-0", TimeSpan.FromMicroseconds(412)));

        Assert.True(registry.TryGet("qemu-0", out var nic));
        Assert.Equal(TimeSpan.FromMicroseconds(412), nic.HeartbeatRtt);
        Assert.Equal(Nic("qemu-0").FirmwareVersion, nic.FirmwareVersion);
        Assert.Equal(Connected, nic.ConnectedSince);
    }

    [Fact]
    public void TryUpdateRtt_UnknownBoard_ReturnsFalseAndAddsNothing()
    {
        var registry = new NicRegistry();

        Assert.False(registry.TryUpdateRtt("gone", TimeSpan.FromMilliseconds(1)));
        Assert.Empty(registry.Snapshot());
    }

    [Fact]
    public void TryUpdateRtt_NegativeRtt_Throws()
    {
        var registry = new NicRegistry();
        registry.Upsert(Nic("qemu-0"));

        Assert.Throws<ArgumentOutOfRangeException>(() => registry.TryUpdateRtt("qemu-0", TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public async Task TryUpdateRtt_ConcurrentWithUpsertRemoveAndSnapshot_NeverLosesOrCorruptsEntries()
    {
        var registry = new NicRegistry();
        const int Boards = 8;
        const int Iterations = 20_000;
        for (var b = 0; b < Boards; b++)
        {
            registry.Upsert(Nic($"qemu-{b}"));
        }

        // Writers update RTTs of stable boards; a churner adds and removes a ninth board; a reader snapshots.
        var writers = Enumerable.Range(0, Boards).Select(b => Task.Run(() =>
        {
            for (var i = 1; i <= Iterations; i++)
            {
                Assert.True(registry.TryUpdateRtt($"qemu-{b}", TimeSpan.FromTicks(i)));
            }
        }));
        var churner = Task.Run(() =>
        {
            for (var i = 0; i < Iterations; i++)
            {
                registry.Upsert(Nic("churn"));
                registry.TryUpdateRtt("churn", TimeSpan.FromTicks(i));
                registry.TryRemove("churn");
            }
        });
        var reader = Task.Run(() =>
        {
            for (var i = 0; i < Iterations / 10; i++)
            {
                var snapshot = registry.Snapshot();
                Assert.InRange(snapshot.Count, Boards, Boards + 1);
            }
        });

        await Task.WhenAll([.. writers, churner, reader]);

        var final = registry.Snapshot();
        Assert.Equal(Boards, final.Count);
        Assert.All(final, nic => Assert.Equal(TimeSpan.FromTicks(Iterations), nic.HeartbeatRtt));
    }
}
