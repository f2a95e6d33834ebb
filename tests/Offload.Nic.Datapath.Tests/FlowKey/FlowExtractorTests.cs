using System.Buffers.Binary;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Tests.FlowKey;

public class FlowExtractorTests
{
    [Fact]
    public void Extract_Ipv4Tcp_FillsEveryField()
    {
        var frame = TestFrames.Ipv4Tcp(tos: 0xB9, sport: 40000, dport: 4420, flags: 0x12);

        var reason = FlowExtractor.Extract(frame, 3, 0, out var key, out var meta);

        Assert.Equal(DropReason.None, reason);
        Assert.Equal(3, key.InPort);
        Assert.Equal(TestFrames.MacA, key.EthSrc);
        Assert.Equal(TestFrames.MacB, key.EthDst);
        Assert.Equal(0x0800, key.EtherType);
        Assert.Equal(6, key.IpProto);
        Assert.Equal(0xB9 >> 2, key.Dscp);
        Assert.Equal(1, key.Ecn);
        Assert.Equal(0x0A000001u, key.Ipv4Src);
        Assert.Equal(0x0A000002u, key.Ipv4Dst);
        Assert.Equal(40000, key.TpSrc);
        Assert.Equal(4420, key.TpDst);
        Assert.Equal(0x12, key.TcpFlags);
        Assert.False(key.VlanPresent);
        Assert.Equal(14, meta.L3Offset);
        Assert.Equal(34, meta.L4Offset);
    }

    [Fact]
    public void Extract_VlanTaggedWithOptions_ReadsTciAndSkipsOptions()
    {
        var frame = TestFrames.Ipv4Tcp(vlan: 0x2064, optionsSize: 8, dport: 443);

        var reason = FlowExtractor.Extract(frame, 1, 0, out var key, out var meta);

        Assert.Equal(DropReason.None, reason);
        Assert.True(key.VlanPresent);
        Assert.Equal(0x2064, key.VlanTci);
        Assert.Equal(443, key.TpDst);
        Assert.Equal(18 + 28, meta.L4Offset);
    }

    [Fact]
    public void Extract_Ipv6WithHopByHop_SkipsExtensionHeader()
    {
        var frame = TestFrames.Ipv6Udp(withHopByHop: true, sport: 7, dport: 9);

        var reason = FlowExtractor.Extract(frame, 1, 0, out var key, out _);

        Assert.Equal(DropReason.None, reason);
        Assert.Equal(17, key.IpProto);
        Assert.Equal(7, key.TpSrc);
        Assert.Equal(9, key.TpDst);
        Assert.Equal(0xFE80000000000000UL, key.Ipv6SrcHigh);
        Assert.Equal(1UL, key.Ipv6SrcLow);
    }

    [Fact]
    public void Extract_Arp_RecordsOpcodeAndAddresses()
    {
        var reason = FlowExtractor.Extract(TestFrames.Arp(), 2, 0, out var key, out _);

        Assert.Equal(DropReason.None, reason);
        Assert.Equal(0x0806, key.EtherType);
        Assert.Equal(1, key.IpProto);
        Assert.Equal(0x0A000001u, key.Ipv4Src);
        Assert.Equal(0x0A000002u, key.Ipv4Dst);
    }

    [Fact]
    public void Extract_Icmp_RecordsTypeAndCode()
    {
        var reason = FlowExtractor.Extract(TestFrames.Ipv4Icmp(), 2, 0, out var key, out _);

        Assert.Equal(DropReason.None, reason);
        Assert.Equal(8, key.TpSrc);
        Assert.Equal(0, key.TpDst);
    }

    [Theory]
    [InlineData(0x02, NvmeOpcodeClass.Read)]
    [InlineData(0x01, NvmeOpcodeClass.Write)]
    [InlineData(0x00, NvmeOpcodeClass.Other)]
    public void Extract_NvmeCapsuleToTargetPort_RecordsClassAndSize(byte opcode, NvmeOpcodeClass expected)
    {
        var frame = TestFrames.Ipv4Tcp(dport: 4420, payloadBytes: TestFrames.NvmeCapsule(opcode, 4096));

        FlowExtractor.Extract(frame, 1, 4420, out _, out var meta);

        Assert.Equal(expected, meta.NvmeClass);
        Assert.Equal(4096u, meta.NvmeDataSize);
    }

    [Fact]
    public void Extract_NvmeCapsuleOnOtherPort_RecordsNothing()
    {
        var frame = TestFrames.Ipv4Tcp(dport: 80, payloadBytes: TestFrames.NvmeCapsule(0x02, 4096));

        FlowExtractor.Extract(frame, 1, 4420, out _, out var meta);

        Assert.Equal(NvmeOpcodeClass.None, meta.NvmeClass);
    }

    [Theory]
    [InlineData(4, DropReason.Ipv4HeaderLengthTooSmall)]
    [InlineData(0, DropReason.Ipv4HeaderLengthTooSmall)]
    [InlineData(15, DropReason.Ipv4HeaderLengthBeyondFrame)]
    public void Extract_BadIhl_DropsWithReason(int ihl, DropReason expected)
    {
        var frame = TestFrames.Ipv4Tcp();
        frame[14] = (byte)(0x40 | ihl);

        Assert.Equal(expected, FlowExtractor.Extract(frame, 1, 0, out _, out _));
    }

    [Theory]
    [InlineData(19)]
    [InlineData(1000)]
    public void Extract_BadTotalLength_DropsWithReason(int totalLength)
    {
        var frame = TestFrames.Ipv4Tcp();
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), (ushort)totalLength);

        Assert.Equal(DropReason.Ipv4BadTotalLength, FlowExtractor.Extract(frame, 1, 0, out _, out _));
    }

    [Theory]
    [InlineData(0x20, 0x00)]
    [InlineData(0x00, 0x10)]
    [InlineData(0x40 | 0x1F, 0xFF)]
    public void Extract_Ipv4Fragment_DropsWithReason(byte hi, byte lo)
    {
        var frame = TestFrames.Ipv4Tcp();
        frame[20] = hi;
        frame[21] = lo;

        Assert.Equal(DropReason.Ipv4Fragment, FlowExtractor.Extract(frame, 1, 0, out _, out _));
    }

    [Fact]
    public void Extract_Ipv6FragmentHeader_DropsWithReason()
    {
        var frame = TestFrames.Ipv6Udp(withHopByHop: true);
        frame[14 + 6] = 44;

        Assert.Equal(DropReason.Ipv6Fragment, FlowExtractor.Extract(frame, 1, 0, out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Extract_TcpDataOffsetBelowFive_DropsWithReason(int dataOffset)
    {
        var frame = TestFrames.Ipv4Tcp();
        frame[34 + 12] = (byte)(dataOffset << 4);

        Assert.Equal(DropReason.TcpDataOffsetTooSmall, FlowExtractor.Extract(frame, 1, 0, out _, out _));
    }

    [Fact]
    public void Extract_TcpDataOffsetBeyondSegment_DropsWithReason()
    {
        var frame = TestFrames.Ipv4Tcp();
        frame[34 + 12] = 15 << 4;

        Assert.Equal(DropReason.TcpDataOffsetBeyondPayload, FlowExtractor.Extract(frame, 1, 0, out _, out _));
    }

    [Fact]
    public void Extract_UdpLengthBeyondPayload_DropsWithReason()
    {
        var frame = TestFrames.Ipv4Udp();
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(34 + 4), 500);

        Assert.Equal(DropReason.UdpBadLength, FlowExtractor.Extract(frame, 1, 0, out _, out _));
    }

    public static TheoryData<string> Frames() => ["tcp", "tcpvlan", "udp", "icmp", "arp", "ipv6", "ipv6hbh", "nvme"];

    private static byte[] FrameByName(string name) => name switch
    {
        "tcp" => TestFrames.Ipv4Tcp(payload: 10),
        "tcpvlan" => TestFrames.Ipv4Tcp(vlan: 5, optionsSize: 4),
        "udp" => TestFrames.Ipv4Udp(),
        "icmp" => TestFrames.Ipv4Icmp(),
        "arp" => TestFrames.Arp(),
        "ipv6" => TestFrames.Ipv6Udp(),
        "ipv6hbh" => TestFrames.Ipv6Udp(withHopByHop: true),
        _ => TestFrames.Ipv4Tcp(dport: 4420, payloadBytes: TestFrames.NvmeCapsule(2, 512)),
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void Extract_EveryStrictPrefix_DropsAsMalformedWithoutThrowing(string name)
    {
        var frame = FrameByName(name);
        Assert.Equal(DropReason.None, FlowExtractor.Extract(frame, 1, 4420, out _, out _));

        for (var length = 0; length < frame.Length; length++)
        {
            var reason = FlowExtractor.Extract(frame.AsSpan(0, length), 1, 4420, out _, out _);

            // A strict prefix of a frame whose lengths are all exact is malformed at some layer,
            // except an L2-only view (unknown/none ethertype cannot be shorter than 14 bytes).
            Assert.True(DropReasons.IsMalformed(reason), $"{name} prefix {length} gave {reason}");
        }
    }

    [Fact]
    public void Extract_EveryPrefixOfLayeredFrame_ReportsTruncationAtTheRightLayer()
    {
        var frame = TestFrames.Ipv4Tcp(vlan: 7);

        Assert.Equal(DropReason.TruncatedEthernet, FlowExtractor.Extract(frame.AsSpan(0, 13), 1, 0, out _, out _));
        Assert.Equal(DropReason.TruncatedVlan, FlowExtractor.Extract(frame.AsSpan(0, 17), 1, 0, out _, out _));
        Assert.Equal(DropReason.TruncatedIpv4, FlowExtractor.Extract(frame.AsSpan(0, 18 + 19), 1, 0, out _, out _));
        Assert.Equal(DropReason.Ipv4BadTotalLength, FlowExtractor.Extract(frame.AsSpan(0, 18 + 20), 1, 0, out _, out _));
        Assert.Equal(DropReason.TruncatedIpv6, FlowExtractor.Extract(TestFrames.Ipv6Udp().AsSpan(0, 14 + 39), 1, 0, out _, out _));
        Assert.Equal(DropReason.TruncatedArp, FlowExtractor.Extract(TestFrames.Arp().AsSpan(0, 14 + 27), 1, 0, out _, out _));
    }
}
