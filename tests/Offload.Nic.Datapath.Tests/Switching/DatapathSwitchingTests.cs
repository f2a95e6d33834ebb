using Offload.Nic.Datapath.Classifier;

namespace Offload.Nic.Datapath.Tests.Switching;

public class DatapathSwitchingTests
{
    private const ulong MacC = 0x02_00_00_00_00_0C;

    [Fact]
    public void Poll_UnknownDestination_FloodsToEveryOtherPort()
    {
        var sw = new SwitchFixture();

        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Run();

        Assert.Equal([0, 0, 1, 1], sw.DrainCounts());
        Assert.Single(sw.Sink.Misses);
        Assert.Equal(1, sw.Datapath.Stats.UpcallsSent);
    }

    [Fact]
    public void Poll_ArpBroadcast_FloodsAndLearnsSender()
    {
        var sw = new SwitchFixture();

        sw.Send(2, TestFrames.Arp(TestFrames.MacB));
        sw.Run();
        Assert.Equal([0, 1, 0, 1], sw.DrainCounts());

        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Run();

        Assert.Equal([0, 0, 1, 0], sw.DrainCounts());
    }

    [Fact]
    public void Poll_AfterLearningBothEnds_ForwardsOnlyToLearnedPort()
    {
        var sw = new SwitchFixture();
        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Run();
        sw.DrainCounts();

        sw.Send(2, TestFrames.Ipv4Udp(TestFrames.MacB, TestFrames.MacA));
        sw.Run();
        Assert.Equal([0, 1, 0, 0], sw.DrainCounts());

        // The flood flow towards B was revalidated away when B was learned: A->B now goes only to port 2.
        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Run();
        Assert.Equal([0, 0, 1, 0], sw.DrainCounts());
        Assert.Contains(sw.Sink.Removed, r => r.Reason == FlowRemovedReason.Deleted);
    }

    [Fact]
    public void Poll_AfterInstall_ForwardsWithoutFurtherUpcalls()
    {
        var sw = new SwitchFixture();
        sw.Send(2, TestFrames.Ipv4Udp(TestFrames.MacB, TestFrames.MacA));
        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Run();
        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Run();
        sw.DrainCounts();
        var upcalls = sw.Datapath.Stats.UpcallsSent;

        for (var i = 0; i < 500; i++)
        {
            sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB, sport: (ushort)(1000 + i)));
        }

        sw.Run();

        Assert.Equal(upcalls, sw.Datapath.Stats.UpcallsSent);
        Assert.Equal([0, 0, 500, 0], sw.DrainCounts());
        Assert.True(sw.Datapath.Stats.ExactMatchHits + sw.Datapath.Stats.ClassifierHits >= 500);
        Assert.Equal(0, sw.Datapath.Stats.Drops.Total);
    }

    [Fact]
    public void Poll_FlowIdleLongerThanTimeout_IsRemovedAndNextPacketMisses()
    {
        var sw = new SwitchFixture();
        sw.Controller.IdleTimeout = TimeSpan.FromSeconds(10);
        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Run();
        Assert.Equal(1, sw.Datapath.FlowCount);

        sw.Time.Advance(TimeSpan.FromSeconds(9));
        sw.Datapath.Poll();
        Assert.Equal(1, sw.Datapath.FlowCount);

        sw.Time.Advance(TimeSpan.FromSeconds(2));
        sw.Datapath.Poll();

        Assert.Equal(0, sw.Datapath.FlowCount);
        var removed = Assert.Single(sw.Sink.Removed);
        Assert.Equal(FlowRemovedReason.IdleTimeout, removed.Reason);
        Assert.Equal(1, removed.Stats.Packets);
        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Run();
        Assert.Equal(2, sw.Sink.Misses.Count);
    }

    [Fact]
    public void Poll_UsedFlow_DoesNotIdleOut()
    {
        var sw = new SwitchFixture();
        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Run();

        for (var i = 0; i < 5; i++)
        {
            sw.Time.Advance(TimeSpan.FromSeconds(6));
            sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
            sw.Run();
        }

        Assert.Equal(1, sw.Datapath.FlowCount);
        Assert.Empty(sw.Sink.Removed);
    }

    [Fact]
    public void Poll_FloodOfUniqueFiveTuplesOverFlowLimit_ExistingFlowsKeepForwarding()
    {
        var sw = new SwitchFixture(3, new DatapathOptions
        {
            FlowLimit = 64,
            EvictionMinIdle = TimeSpan.FromMilliseconds(100),
            EmcInsertInverseProbability = 1,
            UpcallRatePerSecond = 1e9,
            UpcallBurst = 1e9,
        });
        sw.Controller.ExactFlows = true;
        sw.Send(2, TestFrames.Ipv4Udp(TestFrames.MacB, TestFrames.MacA));
        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Run();
        sw.DrainCounts();
        var delivered = 0;

        for (var round = 0; round < 50; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                sw.Send(3, TestFrames.Ipv4Udp(MacC, TestFrames.MacA, sport: (ushort)round, dport: (ushort)i));
            }

            sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
            sw.Run();
            delivered += sw.Ports[2].Drain();
            sw.Ports[1].Drain();
            sw.Ports[3].Drain();
            sw.Time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(50, delivered);
        Assert.True(sw.Datapath.FlowCount <= 64);
        Assert.True(sw.Datapath.Stats.Evicted > 0, "flows idle longest were evicted");
        Assert.True(sw.Datapath.Stats.Rejected > 0, "installs were refused while nothing was idle enough");
        Assert.Equal(sw.Datapath.Stats.Rejected, sw.Datapath.Stats.Drops[DropReason.FlowLimit]);
        Assert.DoesNotContain(sw.Sink.Removed, r => r.Reason == FlowRemovedReason.Evicted && r.Stats.Packets > 1);
    }

    [Fact]
    public void Poll_MissesAboveUpcallRate_ExcessDroppedAndCounted()
    {
        var sw = new SwitchFixture(2, new DatapathOptions { UpcallRatePerSecond = 100, UpcallBurst = 10 });

        for (var i = 0; i < 1000; i++)
        {
            sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB, sport: (ushort)i));
        }

        while (sw.Datapath.Poll() > 0)
        {
        }

        Assert.Equal(10, sw.Datapath.Stats.UpcallsSent);
        Assert.Equal(990, sw.Datapath.Stats.Drops[DropReason.UpcallLimit]);

        sw.Time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 200; i++)
        {
            sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB, sport: (ushort)(5000 + i)));
        }

        while (sw.Datapath.Poll() > 0)
        {
        }

        Assert.Equal(20, sw.Datapath.Stats.UpcallsSent); // refilled to the burst of 10, not 100
    }

    [Fact]
    public void Poll_NoAnswerWithinUpcallTimeout_HeldPacketDroppedWithReason()
    {
        var sw = new SwitchFixture(2, new DatapathOptions { UpcallTimeout = TimeSpan.FromMilliseconds(500) });
        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB));
        sw.Datapath.Poll();
        Assert.Equal(2, sw.Datapath.HeldCount);
        Assert.Equal(1, sw.Datapath.Stats.UpcallsSent); // second packet joined the outstanding upcall

        sw.Time.Advance(TimeSpan.FromMilliseconds(600));
        sw.Datapath.Poll();

        Assert.Equal(0, sw.Datapath.HeldCount);
        Assert.Equal(2, sw.Datapath.Stats.Drops[DropReason.UpcallTimeout]);
    }

    [Fact]
    public void Poll_HeldQueueFull_DropsAsQueueFull()
    {
        var sw = new SwitchFixture(2, new DatapathOptions { HeldPacketCapacity = 4 });
        for (var i = 0; i < 10; i++)
        {
            sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB, sport: (ushort)i));
        }

        sw.Datapath.Poll();

        Assert.Equal(4, sw.Datapath.HeldCount);
        Assert.Equal(6, sw.Datapath.Stats.Drops[DropReason.QueueFull]);
    }

    [Fact]
    public void Poll_InstallReleasesHeldPackets_InOrder()
    {
        var sw = new SwitchFixture(2);
        for (var i = 0; i < 3; i++)
        {
            sw.Send(1, TestFrames.Ipv4Udp(TestFrames.MacA, TestFrames.MacB, payload: 20 + i));
        }

        sw.Run();

        var lengths = new List<int>();
        while (sw.Ports[2].Take() is { } frame)
        {
            lengths.Add(frame.Length);
        }

        Assert.Equal([62, 63, 64], lengths);
    }

    [Fact]
    public void Poll_MalformedFrame_DroppedWithReasonAndNoUpcall()
    {
        var sw = new SwitchFixture(2);
        var frame = TestFrames.Ipv4Tcp();
        frame[14] = 0x44;
        sw.Send(1, frame);

        sw.Run();

        Assert.Equal(1, sw.Datapath.Stats.Drops[DropReason.Ipv4HeaderLengthTooSmall]);
        Assert.Equal(1, sw.Datapath.Stats.Drops.Malformed);
        Assert.Empty(sw.Sink.Misses);
    }
}
