using Offload.Contracts.Messages;
using Offload.Host.Switching;
using Offload.Nic.Datapath;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Port;
using Offload.Testing.Time;
using static Offload.Host.Tests.Switching.EthernetFrames;
using WireAction = Offload.Contracts.Messages.FlowAction;

namespace Offload.Host.Tests.NicFw.Datapath;

/// <summary>
/// nic-fw's datapath composition with the real <see cref="SwitchDatapath"/> on in-memory ports and the real learning
/// switch, with every message through the real codec (encode, decode) but no socket.
/// </summary>
public sealed class NicDatapathTests
{
    private readonly SimulatedTimeProvider _time = new();
    private readonly InMemoryPortPair _port1 = new("p1");
    private readonly InMemoryPortPair _port2 = new("p2");
    private readonly InMemoryPortPair _port3 = new("p3");
    private readonly NicDatapath _nic;
    private readonly LearningSwitch _policy;

    public NicDatapathTests()
    {
        var upcalls = new UpcallQueue(16);
        _nic = new NicDatapath(new SwitchDatapath(new DatapathOptions(), upcalls, _time), upcalls);
        _nic.Switch.AddPort(new PortNo(1), _port1.SwitchSide);
        _nic.Switch.AddPort(new PortNo(2), _port2.SwitchSide);
        _nic.Switch.AddPort(new PortNo(3), _port3.SwitchSide);
        _policy = new LearningSwitch(new LearningSwitchOptions(), _time);
    }

    [Fact]
    public void TryApply_InstallAnsweringUpcall_ReleasesHeldPacketThenForwardsWithoutUpcall()
    {
        _port1.TryInject(Udp(HostB, HostA, marker: 1));
        _nic.Switch.Poll();
        Assert.Equal(1, _nic.Switch.HeldCount);
        var miss = TakeUpcall();
        Assert.Equal(1U, miss.InPort);

        Answer(miss);
        _nic.Switch.Poll();

        Assert.Equal(0, _nic.Switch.HeldCount);
        Assert.Equal(1, Marker(_port2.Take()));
        Assert.Equal(1, Marker(_port3.Take())); // unknown B: flooded

        _port2.TryInject(Udp(HostA, HostB, marker: 2));
        _nic.Switch.Poll();
        Answer(TakeUpcall()); // A is known: output(1); B learned: flood flow toward B removed
        _nic.Switch.Poll();
        Assert.Equal(2, Marker(_port1.Take()));
        Assert.Null(_port3.Take());

        _port1.TryInject(Udp(HostB, HostA, marker: 3));
        _nic.Switch.Poll();
        Answer(TakeUpcall()); // the flood flow is gone, so a new upcall: output(2)
        _nic.Switch.Poll();
        Assert.Equal(3, Marker(_port2.Take()));

        long upcalls = _nic.Switch.Stats.UpcallsSent;
        for (ushort i = 10; i < 20; i++)
        {
            _port1.TryInject(Udp(HostB, HostA, marker: i));
            _port2.TryInject(Udp(HostA, HostB, marker: i));
            _nic.Switch.Poll();
            Assert.Equal(i, Marker(_port2.Take()));
            Assert.Equal(i, Marker(_port1.Take()));
        }

        Assert.Equal(upcalls, _nic.Switch.Stats.UpcallsSent);
        Assert.Null(_port3.Take());
        Assert.False(_nic.Upcalls.TryRead(out FlowMiss? _));
    }

    [Fact]
    public void TryApply_RemoveByCookie_NextPacketMissesAgain()
    {
        Install(new FlowInstall
        {
            Match = SwitchFlowKey.Match(1, new MacAddress(HostA), new MacAddress(HostB)),
            Mask = SwitchFlowKey.PortAndAddressesMask(),
            Actions = [new WireAction(FlowActionKind.Output, 2)],
            Cookie = 77,
        });
        _port1.TryInject(Udp(HostB, HostA, marker: 1));
        _nic.Switch.Poll();
        Assert.Equal(1, Marker(_port2.Take()));
        Assert.Equal(1, _nic.Switch.FlowCount);

        Assert.True(_nic.TryApply(RoundTrip(new FlowRemove { Cookie = 77 })));
        _port1.TryInject(Udp(HostB, HostA, marker: 2));
        _nic.Switch.Poll();

        Assert.Equal(0, _nic.Switch.FlowCount);
        Assert.Null(_port2.Take());
        Assert.Equal(1U, TakeUpcall().InPort);
    }

    [Fact]
    public void TryApply_FlowIdlesOutOrIsReinstalled_CookieTrackingStaysBounded()
    {
        var install = new FlowInstall
        {
            Match = SwitchFlowKey.Match(1, new MacAddress(HostA), new MacAddress(HostB)),
            Mask = SwitchFlowKey.PortAndAddressesMask(),
            Actions = [new WireAction(FlowActionKind.Output, 2)],
            IdleTimeoutMs = 1000,
            Cookie = 77,
        };
        Install(install);
        Install(install);
        _nic.Switch.Poll();
        Assert.Equal(1, _nic.CookieFlowCount);

        _time.Advance(TimeSpan.FromSeconds(5));
        _nic.Switch.Poll();

        Assert.Equal(0, _nic.Switch.FlowCount);
        Assert.Equal(0, _nic.CookieFlowCount);
    }

    [Fact]
    public void TryApply_RemoveByMatchAndMask_RemovesThatFlow()
    {
        var match = SwitchFlowKey.Match(1, new MacAddress(HostA), new MacAddress(HostB));
        var mask = SwitchFlowKey.PortAndAddressesMask();
        Install(new FlowInstall { Match = match, Mask = mask, Actions = [new WireAction(FlowActionKind.Output, 2)] });
        _nic.Switch.Poll();
        Assert.Equal(1, _nic.Switch.FlowCount);

        Assert.True(_nic.TryApply(RoundTrip(new FlowRemove { Match = match, Mask = mask, Strict = true })));
        _nic.Switch.Poll();

        Assert.Equal(0, _nic.Switch.FlowCount);
    }

    [Theory]
    [InlineData(FlowActionKind.Output, 0xFFFFUL)]
    [InlineData(FlowActionKind.SetDscp, 64UL)]
    [InlineData(FlowActionKind.SetEcn, 4UL)]
    [InlineData(FlowActionKind.PushVlan, 0x88A8_0005UL)]
    [InlineData(FlowActionKind.Meter, 1024UL)]
    [InlineData((FlowActionKind)99, 0UL)]
    public void TryApply_BadAction_RejectedAndNothingInstalled(FlowActionKind kind, ulong argument)
    {
        bool applied = _nic.TryApply(RoundTrip(new FlowInstall
        {
            Match = SwitchFlowKey.Match(1, new MacAddress(HostA), new MacAddress(HostB)),
            Mask = SwitchFlowKey.PortAndAddressesMask(),
            Actions = [new WireAction(kind, argument)],
        }));
        _nic.Switch.Poll();

        Assert.False(applied);
        Assert.Equal(1, _nic.Rejected);
        Assert.Equal(0, _nic.Switch.FlowCount);
    }

    [Fact]
    public void TryApply_ShortMatch_Rejected()
    {
        Assert.False(_nic.TryApply(new FlowInstall { Match = new byte[63], Mask = new byte[64] }));
        Assert.Equal(1, _nic.Rejected);
    }

    [Fact]
    public void TryTranslate_EveryWireKind_MapsToTheDatapathAction()
    {
        WireAction[] wire =
        [
            new(FlowActionKind.Output, 3), new(FlowActionKind.Flood, 0), new(FlowActionKind.Drop, 0),
            new(FlowActionKind.SetEthSource, HostA), new(FlowActionKind.SetEthDestination, HostB),
            new(FlowActionKind.PushVlan, 0x8100_0064), new(FlowActionKind.PopVlan, 0), new(FlowActionKind.SetDscp, 46),
            new(FlowActionKind.SetEcn, 3), new(FlowActionKind.Meter, 5), new(FlowActionKind.Controller, 0),
            new(FlowActionKind.CongestionMark, 7), new(FlowActionKind.RateAdvertise, 8),
        ];

        Assert.True(NicDatapath.TryTranslate(wire, out var actions));

        Nic.Datapath.Actions.FlowAction[] expected =
        [
            Nic.Datapath.Actions.FlowAction.Output(new PortNo(3)), Nic.Datapath.Actions.FlowAction.Flood(),
            Nic.Datapath.Actions.FlowAction.Drop(), Nic.Datapath.Actions.FlowAction.SetEthSrc(HostA),
            Nic.Datapath.Actions.FlowAction.SetEthDst(HostB), Nic.Datapath.Actions.FlowAction.PushVlan(0x64),
            Nic.Datapath.Actions.FlowAction.PopVlan(), Nic.Datapath.Actions.FlowAction.SetDscp(46),
            Nic.Datapath.Actions.FlowAction.SetEcn(3), Nic.Datapath.Actions.FlowAction.Meter(new MeterId(5)),
            Nic.Datapath.Actions.FlowAction.Controller(), Nic.Datapath.Actions.FlowAction.CongestionMark(new AppId(7)),
            Nic.Datapath.Actions.FlowAction.RateAdvertise(new AppId(8)),
        ];
        Assert.Equal(expected, actions);
    }

    [Fact]
    public void UpcallQueue_Full_DatapathCountsQueueFull()
    {
        for (ushort i = 0; i < 20; i++)
        {
            _port1.TryInject(Udp(HostB, 0x02_00_00_00_10_00UL + i, marker: i));
        }

        _nic.Switch.Poll();

        Assert.Equal(16, _nic.Upcalls.Count);
        Assert.Equal(4, _nic.Switch.Stats.Drops[DropReason.QueueFull]);
    }

    private FlowMiss TakeUpcall()
    {
        Assert.True(_nic.Upcalls.TryRead(out FlowMiss? miss));
        return RoundTrip(miss);
    }

    private void Answer(FlowMiss miss)
    {
        Assert.True(_policy.TryDecide(miss, out var install, out var invalidate));
        if (invalidate is not null)
        {
            Assert.True(_nic.TryApply(RoundTrip(invalidate)));
        }

        Install(install);
    }

    private void Install(FlowInstall install) => Assert.True(_nic.TryApply(RoundTrip(install)));

    private static T RoundTrip<T>(T message)
        where T : IMailboxMessage =>
        (T)MessageCodec.Decode(message.Type, new System.Buffers.ReadOnlySequence<byte>(MessageCodec.Encode(message)))!;
}
