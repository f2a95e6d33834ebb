using Offload.Contracts.Messages;
using Offload.Host.Switching;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Testing.Time;
using static Offload.Host.Tests.Switching.EthernetFrames;

namespace Offload.Host.Tests.Switching;

public sealed class LearningSwitchTests
{
    private readonly SimulatedTimeProvider _time = new();
    private readonly LearningSwitchOptions _options = new()
    {
        MacAgingTime = TimeSpan.FromSeconds(300),
        ForwardIdleTimeout = TimeSpan.FromSeconds(10),
        FloodIdleTimeout = TimeSpan.FromSeconds(1),
        Priority = 100,
    };

    private LearningSwitch NewSwitch() => new(_options, _time);

    [Fact]
    public void TryDecide_UnknownDestination_FloodsWithFloodTimeoutAndLearnsSource()
    {
        var sw = NewSwitch();

        Assert.True(sw.TryDecide(Miss(7, 1, Udp(HostB, HostA)), out var install, out var invalidate));

        Assert.Equal(7UL, install.UpcallId);
        Assert.Equal([new FlowAction(FlowActionKind.Flood, 0)], install.Actions);
        Assert.Equal(1000U, install.IdleTimeoutMs);
        Assert.Equal(LearningSwitch.CookieFor(new MacAddress(HostB)), install.Cookie);
        Assert.Equal(100, install.Priority);
        Assert.NotNull(invalidate);
        Assert.Equal(LearningSwitch.CookieFor(new MacAddress(HostA)), invalidate.Cookie);
        Assert.True(sw.TryLookup(new MacAddress(HostA), out ushort port));
        Assert.Equal(1, port);
    }

    [Fact]
    public void TryDecide_ReplyToLearnedHost_OutputsToItsPortAndInvalidatesFloodsTowardReplier()
    {
        var sw = NewSwitch();
        sw.TryDecide(Miss(1, 1, Udp(HostB, HostA)), out _, out _);

        Assert.True(sw.TryDecide(Miss(2, 2, Udp(HostA, HostB)), out var install, out var invalidate));

        Assert.Equal([new FlowAction(FlowActionKind.Output, 1)], install.Actions);
        Assert.Equal(10_000U, install.IdleTimeoutMs);
        Assert.Equal(LearningSwitch.CookieFor(new MacAddress(HostA)), install.Cookie);
        Assert.NotNull(invalidate);
        Assert.Equal(LearningSwitch.CookieFor(new MacAddress(HostB)), invalidate.Cookie);

        Assert.True(sw.TryDecide(Miss(3, 1, Udp(HostB, HostA)), out var forward, out var again));
        Assert.Equal([new FlowAction(FlowActionKind.Output, 2)], forward.Actions);
        Assert.Null(again);
    }

    [Fact]
    public void TryDecide_Broadcast_FloodsEvenWhenSomethingIsLearned()
    {
        var sw = NewSwitch();
        sw.TryDecide(Miss(1, 2, Udp(HostA, HostB)), out _, out _);

        Assert.True(sw.TryDecide(Miss(2, 1, Udp(Broadcast, HostA)), out var install, out _));

        Assert.Equal([new FlowAction(FlowActionKind.Flood, 0)], install.Actions);
    }

    [Fact]
    public void TryDecide_DestinationOnInputPort_Drops()
    {
        var sw = NewSwitch();
        sw.TryDecide(Miss(1, 1, Udp(HostC, HostA)), out _, out _);

        Assert.True(sw.TryDecide(Miss(2, 1, Udp(HostA, HostB)), out var install, out _));

        Assert.Equal([new FlowAction(FlowActionKind.Drop, 0)], install.Actions);
    }

    [Fact]
    public void TryDecide_AfterAgingTime_DestinationFloodedAgainAndRelearnInvalidates()
    {
        var sw = NewSwitch();
        sw.TryDecide(Miss(1, 1, Udp(HostB, HostA)), out _, out _);
        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.True(sw.TryLookup(new MacAddress(HostA), out _));

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(sw.TryLookup(new MacAddress(HostA), out _));
        Assert.True(sw.TryDecide(Miss(2, 2, Udp(HostA, HostB)), out var install, out _));
        Assert.Equal([new FlowAction(FlowActionKind.Flood, 0)], install.Actions);
        Assert.True(sw.TryDecide(Miss(3, 1, Udp(HostB, HostA)), out _, out var invalidate));
        Assert.NotNull(invalidate);
        Assert.Equal(LearningSwitch.CookieFor(new MacAddress(HostA)), invalidate.Cookie);
    }

    [Fact]
    public void TryDecide_TrafficRefreshesEntry_NotAged()
    {
        var sw = NewSwitch();
        for (int i = 0; i < 5; i++)
        {
            sw.TryDecide(Miss((ulong)i, 1, Udp(HostB, HostA)), out _, out _);
            _time.Advance(TimeSpan.FromSeconds(200));
        }

        Assert.True(sw.TryLookup(new MacAddress(HostA), out _));
    }

    [Fact]
    public void TryDecide_HostMovesPort_InvalidatesFlowsTowardItAndForwardsToNewPort()
    {
        var sw = NewSwitch();
        sw.TryDecide(Miss(1, 1, Udp(HostB, HostA)), out _, out _);

        Assert.True(sw.TryDecide(Miss(2, 3, Udp(HostB, HostA)), out _, out var invalidate));
        Assert.NotNull(invalidate);
        Assert.Equal(LearningSwitch.CookieFor(new MacAddress(HostA)), invalidate.Cookie);

        Assert.True(sw.TryDecide(Miss(3, 2, Udp(HostA, HostB)), out var install, out _));
        Assert.Equal([new FlowAction(FlowActionKind.Output, 3)], install.Actions);
    }

    [Fact]
    public void TryDecide_GroupSource_NotLearned()
    {
        var sw = NewSwitch();

        Assert.True(sw.TryDecide(Miss(1, 1, Udp(HostA, Broadcast)), out _, out var invalidate));

        Assert.Null(invalidate);
        Assert.Equal(0, sw.Count);
    }

    [Fact]
    public void TryDecide_TableFullOfFreshEntries_NewSourceNotLearnedUntilOldOnesAge()
    {
        _options.MacTableCapacity = 2;
        var sw = NewSwitch();
        sw.TryDecide(Miss(1, 1, Udp(Broadcast, HostA)), out _, out _);
        sw.TryDecide(Miss(2, 2, Udp(Broadcast, HostB)), out _, out _);

        sw.TryDecide(Miss(3, 3, Udp(Broadcast, HostC)), out _, out var invalidate);
        Assert.Null(invalidate);
        Assert.False(sw.TryLookup(new MacAddress(HostC), out _));

        _time.Advance(TimeSpan.FromSeconds(301));
        sw.TryDecide(Miss(4, 3, Udp(Broadcast, HostC)), out _, out invalidate);
        Assert.NotNull(invalidate);
        Assert.True(sw.TryLookup(new MacAddress(HostC), out _));
        Assert.Equal(1, sw.Count);
    }

    [Fact]
    public void TryDecide_ShortKey_ReturnsFalseAndCounts()
    {
        var sw = NewSwitch();

        Assert.False(sw.TryDecide(new FlowMiss { UpcallId = 1, Key = new byte[63] }, out _, out var invalidate));

        Assert.Null(invalidate);
        Assert.Equal(1, sw.Malformed);
    }

    [Fact]
    public void TryDecide_InstalledMatch_CoversTheDatapathKeyUnderItsMask()
    {
        var sw = NewSwitch();
        var miss = Miss(1, 5, Udp(HostB, HostA, marker: 42));

        Assert.True(sw.TryDecide(miss, out var install, out _));

        Assert.True(FlowKey.TryRead(miss.Key.Span, out var key));
        Assert.True(FlowKey.TryRead(install.Match.Span, out var match));
        Assert.True(FlowKey.TryRead(install.Mask.Span, out var mask));
        Assert.Equal(match, key.And(mask));
        Assert.Equal((ushort)5, match.InPort);
        Assert.Equal(HostA, match.EthSrc);
        Assert.Equal(HostB, match.EthDst);
        Assert.Equal(0UL, match.TpSrc + (ulong)match.Ipv4Src); // only in_port and addresses are matched
    }
}
