using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Tests.FlowKey;

/// <summary>The IPv4 UDP/TCP fast path must give exactly the general parser's answer, key and metadata, on every input.</summary>
public class FlowExtractorFastPathTests
{
    [Fact]
    public void Extract_MutatedFrames_FastPathEqualsGeneralParser()
    {
        byte[][] seeds =
        [
            TestFrames.Ipv4Udp(), TestFrames.Ipv4Tcp(payload: 12), TestFrames.Ipv4Tcp(optionsSize: 12),
            TestFrames.Ipv4Tcp(dport: 4420, payloadBytes: TestFrames.NvmeCapsule(1, 8192)),
            TestFrames.Ipv4Tcp(dport: 4420, payloadBytes: TestFrames.NvmeCapsule(2, 4096)), TestFrames.Ipv4Icmp(),
            TestFrames.Ipv4Tcp(vlan: 9), TestFrames.Ipv6Udp(), TestFrames.Arp(),
        ];
        var random = new Random(20261122);
        var buffer = new byte[256];
        var fast = 0;
        for (var i = 0; i < 300_000; i++)
        {
            var seed = seeds[i % seeds.Length];
            seed.CopyTo(buffer, 0);
            var length = seed.Length;
            var mutations = random.Next(4); // 0 keeps a quarter of the frames intact, so the fast path is taken often
            for (var m = 0; m < mutations; m++)
            {
                switch (random.Next(3))
                {
                    case 0:
                        buffer[random.Next(Math.Min(length, 80))] = (byte)random.Next(256);
                        break;
                    case 1:
                        buffer[random.Next(Math.Min(length, 60))] ^= (byte)(1 << random.Next(8));
                        break;
                    default:
                        length = random.Next(length + 1);
                        break;
                }
            }

            var frame = buffer.AsSpan(0, length);
            var inPort = (ushort)(1 + (i & 7));
            var viaExtract = FlowExtractor.Extract(frame, inPort, 4420, out var key, out var meta);
            var general = FlowExtractor.ExtractGeneral(frame, inPort, 4420, out var generalKey, out var generalMeta);

            Assert.Equal(general, viaExtract);
            if (general == DropReason.None)
            {
                Assert.True(generalKey.SameAs(key), $"frame {i}: keys differ");
                Assert.Equal(generalMeta, meta);
            }

            if (general == DropReason.None && key.EtherType == FlowExtractor.EtherTypeIpv4 && !key.VlanPresent
                && key.IpProto is FlowExtractor.ProtoUdp or FlowExtractor.ProtoTcp && meta.L4Offset == 34)
            {
                fast++;
            }
        }

        // The comparison above is only meaningful if many frames took the fast path.
        Assert.InRange(fast, 50_000, 300_000);
    }

    [Fact]
    public void Extract_NvmeCapsuleOverFastPath_RecordsOpcodeClassAndLength()
    {
        var frame = TestFrames.Ipv4Tcp(dport: 4420, payloadBytes: TestFrames.NvmeCapsule(2, 4096));

        var reason = FlowExtractor.Extract(frame, 3, 4420, out var key, out var meta);

        Assert.Equal(DropReason.None, reason);
        Assert.Equal(4420, key.TpDst);
        Assert.Equal(NvmeOpcodeClass.Read, meta.NvmeClass);
        Assert.Equal(4096u, meta.NvmeDataSize);
    }
}
