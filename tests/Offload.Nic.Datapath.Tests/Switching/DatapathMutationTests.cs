using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.Port;
using Key = Offload.Nic.Datapath.FlowKeys.FlowKey;

namespace Offload.Nic.Datapath.Tests.Switching;

public class DatapathMutationTests
{
    [Fact]
    public void Poll_HundredThousandMutatedFramesThroughEveryAction_NoExceptionAndEveryFrameAccounted()
    {
        var sw = new SwitchFixture(3, new DatapathOptions { EmcInsertInverseProbability = 1, UpcallRatePerSecond = 1e9, UpcallBurst = 1e9 });
        var app = new AppId(1);
        sw.Datapath.SetApplicationCongested(app, true);
        sw.Datapath.SetAdvertisedRate(app, 1000);
        sw.Datapath.SetMeter(new MeterId(1), new MeterConfig(1_000_000, 100_000, MeterBandType.DscpRemark, 10));
        var inPort = default(Key);
        inPort.InPort = 0xFFFF;
        var fromOne = default(Key);
        fromOne.InPort = 1;
        var fromTwo = default(Key);
        fromTwo.InPort = 2;
        sw.Datapath.InstallFlow(fromOne, inPort, 1,
        [
            FlowAction.PushVlan(5), FlowAction.SetDscp(46), FlowAction.Meter(new MeterId(1)), FlowAction.CongestionMark(app),
            FlowAction.RateAdvertise(app), FlowAction.Output(new PortNo(2)), FlowAction.PopVlan(), FlowAction.SetEcn(3),
            FlowAction.SetEthSrc(1), FlowAction.Flood(),
        ], TimeSpan.Zero, TimeSpan.Zero);
        sw.Datapath.InstallFlow(fromTwo, inPort, 1, [FlowAction.PopVlan(), FlowAction.RateAdvertise(app), FlowAction.Output(new PortNo(1))], TimeSpan.Zero, TimeSpan.Zero);
        sw.Datapath.Poll();
        byte[][] seeds =
        [
            TestFrames.Ipv4Tcp(payload: 12, tos: 2), TestFrames.Ipv4Tcp(vlan: 9, optionsSize: 36), TestFrames.Ipv4Udp(tos: 1),
            TestFrames.Arp(), TestFrames.Ipv6Udp(withHopByHop: true), TestFrames.Ipv4Icmp(),
        ];
        var random = new Random(99);
        long sent = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var frame = (byte[])seeds[i % seeds.Length].Clone();
            for (var m = random.Next(3); m >= 0; m--)
            {
                frame[random.Next(frame.Length)] = (byte)random.Next(256);
            }

            if (random.Next(8) == 0)
            {
                frame = frame[..random.Next(frame.Length)];
            }

            if (sw.Ports[1 + (i & 1)].TryInject(frame))
            {
                sent++;
            }

            if (i % 512 == 0)
            {
                while (sw.Datapath.Poll() > 0)
                {
                }

                sw.DrainCounts();
            }
        }

        while (sw.Datapath.Poll() > 0)
        {
        }

        Assert.Equal(sent, sw.Datapath.Stats.Received);
        Assert.Equal(sent, sw.Datapath.Stats.ExactMatchHits + sw.Datapath.Stats.ClassifierHits + sw.Datapath.Stats.Drops.Malformed);
        Assert.True(sw.Datapath.Stats.RateOptionsInserted > 1000);
        Assert.True(sw.Datapath.Stats.Drops.Malformed > 1000);
    }
}
