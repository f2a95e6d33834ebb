using Microsoft.Extensions.Logging.Abstractions;
using Offload.Contracts.Messages;
using Offload.Nic.Nvme;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Host.Tests.NicFw.Nvme;

/// <summary>nic-fw's handling of SubsystemSet / SubsystemRemove (the mailbox side is exercised end to end in
/// EndToEnd/StateCommandsEndToEndTests).</summary>
public sealed class SubsystemMailboxSubscriberTests
{
    [Fact]
    public void Apply_SetThenRemove_CatalogFollowsAndCountsNothingRejected()
    {
        using var catalog = new SubsystemCatalog(new TargetConfig());
        var subscriber = new SubsystemMailboxSubscriber(catalog, NullLogger<SubsystemMailboxSubscriber>.Instance);
        var set = new SubsystemSet { Nqn = "nqn.2026-01.io.offload:s", Hosts = ["nqn.h"] };
        set.Namespaces.Add(new SubsystemNamespace { Nsid = 4, Size = 8192, BlockSize = 4096, Path = "" });

        Assert.Null(subscriber.Apply(set));
        Assert.True(catalog.TryGet("nqn.2026-01.io.offload:s", out var subsystem));
        Assert.True(subsystem.IsHostAllowed("nqn.h"));
        Assert.Equal(2ul, subsystem.Namespaces[4].BlockCount);

        Assert.Null(subscriber.Apply(new SubsystemRemove { Nqn = "nqn.2026-01.io.offload:s" }));
        Assert.False(catalog.TryGet("nqn.2026-01.io.offload:s", out _));
    }

    [Fact]
    public void Apply_SizeBeyondLong_RejectedWithReason()
    {
        using var catalog = new SubsystemCatalog(new TargetConfig());
        var subscriber = new SubsystemMailboxSubscriber(catalog, NullLogger<SubsystemMailboxSubscriber>.Instance);
        var set = new SubsystemSet { Nqn = "nqn.2026-01.io.offload:s" };
        set.Namespaces.Add(new SubsystemNamespace { Nsid = 1, Size = ulong.MaxValue, BlockSize = 512, Path = "" });

        Assert.Contains("size -1 must be a positive multiple", subscriber.Apply(set), StringComparison.Ordinal);
        Assert.False(catalog.TryGet("nqn.2026-01.io.offload:s", out _));
    }

    [Fact]
    public void Apply_NoNvmeTarget_RejectedSayingHowToTurnItOn()
    {
        var subscriber = new SubsystemMailboxSubscriber(null, NullLogger<SubsystemMailboxSubscriber>.Instance);
        Assert.Contains("--Nvme:Listen", subscriber.Apply(new SubsystemSet { Nqn = "nqn.x" }), StringComparison.Ordinal);
        Assert.Null(subscriber.Apply(new SubsystemRemove { Nqn = "nqn.x" }));
    }
}
