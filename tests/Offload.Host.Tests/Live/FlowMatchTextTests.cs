using System.Buffers.Binary;
using Offload.Host.Live;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Host.Tests.Live;

public class FlowMatchTextTests
{
    [Fact]
    public void TryParse_TcpDstPort_SetsEthTypeProtoAndPortInTheDatapathLayout()
    {
        Assert.True(FlowMatchText.TryParse("tcp,tp_dst=4420", out var match, out var mask, out _));
        Assert.True(FlowKey.TryRead(match, out var m));
        Assert.True(FlowKey.TryRead(mask, out var k));
        Assert.Equal((ushort)0x0800, m.EtherType);
        Assert.Equal((byte)6, m.IpProto);
        Assert.Equal((ushort)4420, m.TpDst);
        Assert.Equal((ushort)0xFFFF, k.EtherType);
        Assert.Equal((ushort)0xFFFF, k.TpDst);
        Assert.Equal((ushort)0, k.TpSrc);
        Assert.Equal((ushort)0, k.InPort);
    }

    [Fact]
    public void TryParse_AddressesAndPrefix_MatchTheDatapathsOwnKey()
    {
        Assert.True(FlowMatchText.TryParse("in_port=3,eth_src=02:00:00:00:00:0a,nw_dst=10.1.0.0/16", out var match, out var mask, out _));
        Assert.True(FlowKey.TryRead(match, out var m));
        Assert.True(FlowKey.TryRead(mask, out var k));
        var key = default(FlowKey);
        key.InPort = 3;
        key.EthSrc = 0x02_00_00_00_00_0A;
        key.Ipv4Dst = 0x0A01_0203;
        Assert.True(key.And(k) == m, "a key with those fields passes the filter");
        key.Ipv4Dst = 0x0A02_0203;
        Assert.False(key.And(k) == m, "another /16 does not");
    }

    [Theory]
    [InlineData("tp_dst=70000", "tp_dst")]
    [InlineData("nosuch=1", "'nosuch' is not a match field")]
    [InlineData("eth_src=zz:00:00:00:00:00", "eth_src")]
    [InlineData("nw_src=fd00::1", "nw_src")]
    [InlineData("bogus", "'bogus' is not a match field")]
    public void TryParse_BadInput_FalseWithOneLineNamingTheField(string text, string expected)
    {
        Assert.False(FlowMatchText.TryParse(text, out _, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Format_ParsedText_RoundTripsInCanonicalOrder()
    {
        Assert.True(FlowMatchText.TryParse("tp_dst=4420,udp,in_port=1,nw_src=10.0.0.0/8,eth_dst=02:00:00:00:00:0b", out var match, out var mask, out _));
        Assert.Equal("in_port=1,eth_type=0x0800,ip_proto=17,eth_dst=02:00:00:00:00:0b,nw_src=10.0.0.0/255.0.0.0,tp_dst=4420",
            FlowMatchText.Format(match, mask));
        Assert.Equal("*", FlowMatchText.Format(new byte[64], new byte[64]));
    }

    [Fact]
    public void SetInPort_ExistingFilter_AddsInPortKeepsOtherFields()
    {
        Assert.True(FlowMatchText.TryParse("tcp", out var match, out var mask, out _));
        FlowMatchText.SetInPort(match, mask, 7);
        Assert.Equal(7, BinaryPrimitives.ReadUInt16LittleEndian(match));
        Assert.Equal("in_port=7,eth_type=0x0800,ip_proto=6", FlowMatchText.Format(match, mask));
    }
}
