using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Tests.FlowKey;

public class FlowExtractorMutationTests
{
    [Fact]
    public void Extract_OneMillionMutatedFrames_NeverThrowsAndAlwaysClassifies()
    {
        byte[][] seeds =
        [
            TestFrames.Ipv4Tcp(payload: 12), TestFrames.Ipv4Tcp(vlan: 9, optionsSize: 12), TestFrames.Ipv4Udp(),
            TestFrames.Ipv4Icmp(), TestFrames.Arp(), TestFrames.Ipv6Udp(), TestFrames.Ipv6Udp(withHopByHop: true),
            TestFrames.Ipv4Tcp(dport: 4420, payloadBytes: TestFrames.NvmeCapsule(1, 8192)),
        ];
        var random = new Random(20261121);
        var buffer = new byte[256];
        var seen = new HashSet<DropReason>();
        long ok = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            var seed = seeds[i % seeds.Length];
            seed.CopyTo(buffer, 0);
            var length = seed.Length;
            var mutations = 1 + random.Next(4);
            for (var m = 0; m < mutations; m++)
            {
                switch (random.Next(4))
                {
                    case 0:
                        buffer[random.Next(length)] = (byte)random.Next(256);
                        break;
                    case 1:
                        buffer[random.Next(Math.Min(length, 60))] ^= (byte)(1 << random.Next(8));
                        break;
                    case 2:
                        length = random.Next(length + 1);
                        break;
                    default:
                        var extra = random.Next(1, 32);
                        random.NextBytes(buffer.AsSpan(length, extra));
                        length += extra;
                        break;
                }
            }

            var reason = FlowExtractor.Extract(buffer.AsSpan(0, length), 1, 4420, out var key, out var meta);

            Assert.True(reason == DropReason.None || DropReasons.IsMalformed(reason));
            Assert.True(meta.L4Offset <= length);
            Assert.Equal(1, key.InPort);
            seen.Add(reason);
            if (reason == DropReason.None)
            {
                ok++;
            }
        }

        Assert.InRange(ok, 100_000, 999_999);
        Assert.Contains(DropReason.Ipv4HeaderLengthTooSmall, seen);
        Assert.Contains(DropReason.Ipv4BadTotalLength, seen);
        Assert.Contains(DropReason.Ipv4Fragment, seen);
        Assert.Contains(DropReason.TcpDataOffsetTooSmall, seen);
        Assert.Contains(DropReason.TruncatedTcp, seen);
    }

    [Fact]
    public void Extract_RegressionCorpus_ReplaysWithoutThrowing()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "regression", "datapath");
        Assert.True(Directory.Exists(dir), "regression corpus missing from test output");
        var files = Directory.GetFiles(dir, "*.hex");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var hex = File.ReadAllText(file).Trim();
            var parts = hex.Split('\n', 2);
            var expected = Enum.Parse<DropReason>(parts[0].Trim());
            var bytes = Convert.FromHexString(string.Concat(parts[1].Where(c => !char.IsWhiteSpace(c))));

            Assert.Equal(expected, FlowExtractor.Extract(bytes, 1, 4420, out _, out _));
        }
    }
}
