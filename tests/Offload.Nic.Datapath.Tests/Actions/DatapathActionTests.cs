using System.Buffers.Binary;
using Offload.Nic.Datapath.Actions;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Port;
using Offload.Nic.Datapath.Tests.Switching;
using Key = Offload.Nic.Datapath.FlowKeys.FlowKey;

namespace Offload.Nic.Datapath.Tests.Actions;

public class DatapathActionTests
{
    private static byte[] RunThrough(SwitchFixture sw, byte[] frame, params FlowAction[] actions)
    {
        var mask = default(Key);
        mask.InPort = 0xFFFF;
        var match = default(Key);
        match.InPort = 1;
        sw.Datapath.InstallFlow(match, mask, 1, actions, TimeSpan.Zero, TimeSpan.Zero);
        sw.Send(1, frame);
        sw.Datapath.Poll();
        sw.Datapath.Poll();
        return sw.Ports[2].Take() ?? [];
    }

    [Fact]
    public void Execute_SetMacs_RewritesBoth()
    {
        var sw = new SwitchFixture(2);

        var output = RunThrough(sw, TestFrames.Ipv4Udp(), FlowAction.SetEthSrc(0x0A0B0C0D0E0F), FlowAction.SetEthDst(0x010203040506), FlowAction.Output(new PortNo(2)));

        FlowExtractor.Extract(output, 2, 0, out var key, out _);
        Assert.Equal(0x0A0B0C0D0E0FUL, key.EthSrc);
        Assert.Equal(0x010203040506UL, key.EthDst);
    }

    [Fact]
    public void Execute_PushThenPopVlan_TagAppearsAndDisappears()
    {
        var sw = new SwitchFixture(2);
        var original = TestFrames.Ipv4Udp();

        var tagged = RunThrough(sw, original, FlowAction.PushVlan(0x2005), FlowAction.Output(new PortNo(2)));
        Assert.Equal(DropReason.None, FlowExtractor.Extract(tagged, 2, 0, out var key, out _));
        Assert.True(key.VlanPresent);
        Assert.Equal(0x2005, key.VlanTci);
        Assert.Equal(original.Length + 4, tagged.Length);

        var sw2 = new SwitchFixture(2);
        var untagged = RunThrough(sw2, tagged, FlowAction.PopVlan(), FlowAction.Output(new PortNo(2)));
        Assert.Equal(original, untagged);
    }

    [Fact]
    public void Execute_SetDscp_KeepsEcnAndValidChecksum()
    {
        var sw = new SwitchFixture(2);

        var output = RunThrough(sw, TestFrames.Ipv4Udp(tos: 0x02), FlowAction.SetDscp(46), FlowAction.Output(new PortNo(2)));

        Assert.Equal((46 << 2) | 2, output[15]);
        Assert.True(TestFrames.ChecksumValid(output.AsSpan(14, 20)));
    }

    [Theory]
    [InlineData(0b10, 0b11)]
    [InlineData(0b01, 0b11)]
    [InlineData(0b00, 0b00)]
    [InlineData(0b11, 0b11)]
    public void Execute_CongestionMarkOnFlaggedApp_MarksOnlyEctPackets(int ecn, int expected)
    {
        var sw = new SwitchFixture(2);
        sw.Datapath.SetApplicationCongested(new AppId(7), true);

        var output = RunThrough(sw, TestFrames.Ipv4Tcp(tos: (byte)(0xA0 | ecn)), FlowAction.CongestionMark(new AppId(7)), FlowAction.Output(new PortNo(2)));

        Assert.Equal(expected, output[15] & 3);
        Assert.Equal(0xA0, output[15] & 0xFC);
        Assert.True(TestFrames.ChecksumValid(output.AsSpan(14, 20)));
        Assert.Equal(ecn is 1 or 2 ? 1 : 0, sw.Datapath.Stats.Marked);
    }

    [Fact]
    public void Execute_CongestionMarkOnUnflaggedApp_LeavesEct()
    {
        var sw = new SwitchFixture(2);

        var output = RunThrough(sw, TestFrames.Ipv4Tcp(tos: 0b10), FlowAction.CongestionMark(new AppId(7)), FlowAction.Output(new PortNo(2)));

        Assert.Equal(0b10, output[15] & 3);
    }

    [Fact]
    public void Execute_RateAdvertise_InsertsDocumentedOptionAndKeepsPacketValid()
    {
        var sw = new SwitchFixture(2);
        sw.Datapath.SetAdvertisedRate(new AppId(3), 250_000);
        var original = TestFrames.Ipv4Tcp(payload: 10, optionsSize: 4);

        var output = RunThrough(sw, original, FlowAction.RateAdvertise(new AppId(3)), FlowAction.Output(new PortNo(2)));

        Assert.Equal(original.Length + 8, output.Length);
        Assert.Equal(DropReason.None, FlowExtractor.Extract(output, 2, 0, out var key, out var meta));
        Assert.Equal(14 + 32, meta.L4Offset);
        Assert.Equal(0x45 + 3, output[14]);
        Assert.True(TestFrames.ChecksumValid(output.AsSpan(14, 32)));
        Assert.Equal(new byte[] { 0x9E, 0x08, 0x01, 0x00, 0x00, 0x03, 0xD0, 0x90 }, output[(14 + 24)..(14 + 32)]);
        Assert.True(RateOption.TryRead(output.AsSpan(14), out var rate));
        Assert.Equal(250_000u, rate);
        Assert.Equal(original[(14 + 24)..], output[(14 + 32)..]); // L4 header and payload untouched
        Assert.Equal(1234, key.TpSrc);
    }

    /// <summary>The option never grows a packet past the 1,500-byte MTU: a full-size segment goes on unstamped and
    /// unchanged, one 8 bytes smaller is stamped to exactly 1,500.</summary>
    [Theory]
    [InlineData(1456, false)] // IP total length 1,500
    [InlineData(1449, false)] // 1,493: would be 1,501
    [InlineData(1448, true)] // 1,492: stamped to 1,500
    public void Execute_RateAdvertise_NeverGrowsAPacketPastTheMtu(int payload, bool stamped)
    {
        var sw = new SwitchFixture(2);
        sw.Datapath.SetAdvertisedRate(new AppId(3), 250_000);
        var original = TestFrames.Ipv4Tcp(payload: payload, optionsSize: 4);

        var output = RunThrough(sw, original, FlowAction.RateAdvertise(new AppId(3)), FlowAction.Output(new PortNo(2)));

        Assert.Equal(stamped, RateOption.TryRead(output.AsSpan(14), out _));
        Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(output.AsSpan(14 + 2)) <= RateOption.MaxStampedIpLength);
        Assert.Equal((stamped ? 1 : 0, stamped ? 0 : 1), (sw.Datapath.Stats.RateOptionsInserted, sw.Datapath.Stats.RateOptionsSkipped));
        if (!stamped)
        {
            Assert.Equal(original, output);
        }
    }

    /// <summary>The limit is the MTU of the port the packet leaves by: a full-size 1,500-byte packet is stamped toward a
    /// jumbo-frame port (9,000), not toward a standard one, and a flood takes the smallest MTU of the ports it reaches.</summary>
    [Theory]
    [InlineData(9000, 9000, true)]
    [InlineData(9000, 1500, false)]
    [InlineData(1500, 9000, false)]
    public void Execute_RateAdvertise_LimitIsTheOutputPortsMtu(int mtu2, int mtu3, bool floodStamped)
    {
        var options = new DatapathOptions { EmcInsertInverseProbability = 1, MaxFrameSize = 9000 + RateOption.FrameOverhead };
        var fullSize = TestFrames.Ipv4Tcp(payload: 1456, optionsSize: 4); // IP total length 1,500
        var sw = new SwitchFixture(3, options, [1500, mtu2, mtu3]);
        sw.Datapath.SetAdvertisedRate(new AppId(3), 250_000);
        Assert.Equal((1500, mtu2, mtu3), (sw.Datapath.GetPortCounters(0).Mtu, sw.Datapath.GetPortCounters(1).Mtu, sw.Datapath.GetPortCounters(2).Mtu));

        var toPort2 = RunThrough(sw, fullSize, FlowAction.RateAdvertise(new AppId(3)), FlowAction.Output(new PortNo(2)));
        Assert.Equal(mtu2 == 9000, RateOption.TryRead(toPort2.AsSpan(14), out _));
        Assert.Equal(mtu2 == 9000 ? 1508 : 1500, BinaryPrimitives.ReadUInt16BigEndian(toPort2.AsSpan(14 + 2)));

        var flood = new SwitchFixture(3, options, [1500, mtu2, mtu3]);
        flood.Datapath.SetAdvertisedRate(new AppId(3), 250_000);
        var flooded = RunThrough(flood, fullSize, FlowAction.RateAdvertise(new AppId(3)), FlowAction.Flood());
        Assert.Equal(floodStamped, RateOption.TryRead(flooded.AsSpan(14), out _));
        Assert.Equal(floodStamped, RateOption.TryRead((flood.Ports[3].Take() ?? []).AsSpan(14), out _));
        Assert.Equal((floodStamped ? 1 : 0, floodStamped ? 0 : 1), (flood.Datapath.Stats.RateOptionsInserted, flood.Datapath.Stats.RateOptionsSkipped));
    }

    [Theory]
    [InlineData(67)]
    [InlineData(9217)]
    [InlineData(2048)] // past the datapath's 2,048-byte frames
    public void AddPort_MtuOutOfRange_Refused(int mtu)
    {
        var datapath = new SwitchDatapath(new DatapathOptions(), new RecordingUpcallSink(), new SimulatedTimeProvider());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => datapath.AddPort(new PortNo(1), new InMemoryPortPair("p1").SwitchSide, mtu));
        Assert.Contains($"MTU {mtu} is outside 68..2026", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, datapath.PortCount);
    }

    [Fact]
    public void Execute_MeterDropBand_DropsAboveBurst()
    {
        var sw = new SwitchFixture(2);
        sw.Datapath.SetMeter(new MeterId(1), new MeterConfig(1000, 300, MeterBandType.Drop));
        var mask = default(Key);
        sw.Datapath.InstallFlow(default, mask, 1, [FlowAction.Meter(new MeterId(1)), FlowAction.Output(new PortNo(2))], TimeSpan.Zero, TimeSpan.Zero);
        sw.Datapath.Poll();

        for (var i = 0; i < 10; i++)
        {
            sw.Send(1, TestFrames.Ipv4Udp()); // 60 bytes each: 5 fit in a 300-byte burst
        }

        sw.Datapath.Poll();

        Assert.Equal(5, sw.Ports[2].Drain());
        Assert.Equal(5, sw.Datapath.Stats.Drops[DropReason.Meter]);
    }

    [Fact]
    public void Execute_MeterRemarkBand_RemarksExcessDscp()
    {
        var sw = new SwitchFixture(2);
        sw.Datapath.SetMeter(new MeterId(2), new MeterConfig(1000, 60, MeterBandType.DscpRemark, 8));
        sw.Datapath.InstallFlow(default, default, 1, [FlowAction.Meter(new MeterId(2)), FlowAction.Output(new PortNo(2))], TimeSpan.Zero, TimeSpan.Zero);
        sw.Datapath.Poll();
        sw.Send(1, TestFrames.Ipv4Udp(tos: 0));
        sw.Send(1, TestFrames.Ipv4Udp(tos: 0));

        sw.Datapath.Poll();

        Assert.Equal(0, sw.Ports[2].Take()![15]);
        var second = sw.Ports[2].Take()!;
        Assert.Equal(8 << 2, second[15]);
        Assert.True(TestFrames.ChecksumValid(second.AsSpan(14, 20)));
    }

    [Fact]
    public void Execute_DropAction_CountsGivenReason()
    {
        var sw = new SwitchFixture(2);

        RunThrough(sw, TestFrames.Ipv4Udp(), FlowAction.Drop(DropReason.NoRoute));

        Assert.Equal(1, sw.Datapath.Stats.Drops[DropReason.NoRoute]);
    }

    [Fact]
    public void Execute_ControllerAction_SendsPacketUp()
    {
        var sw = new SwitchFixture(2);
        var frame = TestFrames.Ipv4Udp();

        RunThrough(sw, frame, FlowAction.Controller());

        Assert.Equal(frame, Assert.Single(sw.Sink.Packets));
    }

    [Fact]
    public void Execute_ControllerActionWithOutput_CopyGoesUpWithUserDataNotHeldAndCountedApartFromMisses()
    {
        var sw = new SwitchFixture(2);
        var frame = TestFrames.Ipv4Udp();

        var forwarded = RunThrough(sw, frame, FlowAction.Controller(0xC0FFEE), FlowAction.Output(new PortNo(2)));

        Assert.Equal(frame, forwarded);
        Assert.Equal(frame, Assert.Single(sw.Sink.Packets));
        Assert.Equal(0xC0FFEEu, Assert.Single(sw.Sink.PacketUserData));
        Assert.Empty(sw.Sink.Misses);
        Assert.Equal(0, sw.Datapath.HeldCount);
        Assert.Equal(1, sw.Datapath.Stats.PacketsToController);
        Assert.Equal(0, sw.Datapath.Stats.UpcallsSent);
        Assert.Equal(0, sw.Datapath.Stats.FlowMisses);
    }

    [Fact]
    public void Execute_OutputToMissingPort_CountsNoSuchPort()
    {
        var sw = new SwitchFixture(2);

        RunThrough(sw, TestFrames.Ipv4Udp(), FlowAction.Output(new PortNo(9)));

        Assert.Equal(1, sw.Datapath.Stats.Drops[DropReason.NoSuchPort]);
    }

    [Fact]
    public void Account_NvmeCapsules_CountedPerFlow()
    {
        var sw = new SwitchFixture(2);
        var flowId = sw.Datapath.InstallFlow(default, default, 1, [FlowAction.Output(new PortNo(2))], TimeSpan.Zero, TimeSpan.Zero);
        sw.Datapath.Poll();
        sw.Send(1, TestFrames.Ipv4Tcp(dport: 4420, payloadBytes: TestFrames.NvmeCapsule(0x02, 4096)));
        sw.Send(1, TestFrames.Ipv4Tcp(dport: 4420, payloadBytes: TestFrames.NvmeCapsule(0x01, 8192)));
        sw.Send(1, TestFrames.Ipv4Tcp(dport: 4420, payloadBytes: TestFrames.NvmeCapsule(0x01, 8192)));

        sw.Datapath.Poll();

        var stats = sw.Datapath.GetFlow(flowId)!.Stats;
        Assert.Equal(3, stats.Packets);
        Assert.Equal(1, stats.NvmeReads);
        Assert.Equal(2, stats.NvmeWrites);
        Assert.Equal(4096 + 16384, stats.NvmeDataSize);
        Assert.Equal(0x18, stats.TcpFlags);
    }

    [Fact]
    public void Checksum_Rfc1624Update_EqualsFullRecompute()
    {
        var frame = TestFrames.Ipv4Udp(tos: 0x11);
        var ip = frame.AsSpan(14, 20);
        var old = BinaryPrimitives.ReadUInt16BigEndian(ip);
        ip[1] = 0xEE;

        var updated = PacketRewriter.UpdateChecksum(BinaryPrimitives.ReadUInt16BigEndian(ip[10..]), old, BinaryPrimitives.ReadUInt16BigEndian(ip));

        Assert.Equal(TestFrames.Checksum(ip), updated);
    }
}
