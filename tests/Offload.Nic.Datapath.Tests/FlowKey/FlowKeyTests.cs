using Offload.Nic.Datapath.FlowKeys;
using Key = Offload.Nic.Datapath.FlowKeys.FlowKey;

namespace Offload.Nic.Datapath.Tests.FlowKey;

public class FlowKeyTests
{
    [Fact]
    public void TryWriteTryRead_ExtractedKey_RoundTrips()
    {
        FlowExtractor.Extract(TestFrames.Ipv4Tcp(vlan: 0x0123, tos: 0x2A, flags: 0x02), 7, 0, out var key, out _);
        var wire = new byte[Key.Size];

        Assert.True(key.TryWrite(wire));
        Assert.True(Key.TryRead(wire, out var back));

        Assert.Equal(key, back);
        Assert.Equal(key.Hash(), back.Hash());
        Assert.False(key.TryWrite(new byte[Key.Size - 1]));
        Assert.False(Key.TryRead(new byte[Key.Size - 1], out _));
    }

    [Fact]
    public void Fields_SettersDoNotDisturbNeighbours()
    {
        var key = default(Key);
        key.InPort = 0xFFFF;
        key.VlanTci = 0xAAAA;
        key.EtherType = 0x86DD;
        key.IpProto = 0x11;
        key.IpTos = 0xFF;
        key.EthDst = ulong.MaxValue;
        key.TcpFlags = 0xFFF;
        key.VlanPresent = true;
        key.TpSrc = 1;
        key.TpDst = 2;

        key.EthDst = 0;
        key.IpProto = 6;

        Assert.Equal(0xFFFF, key.InPort);
        Assert.Equal(0xAAAA, key.VlanTci);
        Assert.Equal(0x86DD, key.EtherType);
        Assert.Equal(6, key.IpProto);
        Assert.Equal(0xFF, key.IpTos);
        Assert.Equal(0xFFF, key.TcpFlags);
        Assert.True(key.VlanPresent);
        Assert.Equal(0UL, key.EthDst);
        Assert.Equal(1, key.TpSrc);
        Assert.Equal(2, key.TpDst);
    }

    [Fact]
    public void MaskedHash_EqualsHashOfMaskedKey()
    {
        FlowExtractor.Extract(TestFrames.Ipv4Udp(), 1, 0, out var key, out _);
        var mask = default(Key);
        mask.EthDst = ulong.MaxValue;
        mask.TpDst = 0xFFFF;

        Assert.Equal(key.And(mask).Hash(), key.MaskedHash(mask));
        Assert.True(key.MatchesMasked(key.And(mask), mask));
    }
}
