using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Benchmarks.Datapath;

/// <summary>Rules shaped like OVS's test-classifier benchmark: N rules over M distinct masks on IPv4/UDP fields.</summary>
internal static class ClassifierShape
{
    public static (FlowKey Match, FlowKey Mask)[] Rules(Random random, int count, int maskCount)
    {
        var masks = new FlowKey[maskCount];
        for (var m = 0; m < maskCount; m++)
        {
            var mask = default(FlowKey);
            mask.InPort = 0xFFFF;
            mask.EtherType = 0xFFFF;
            mask.IpProto = 0xFF;
            mask.Ipv4Dst = 0xFFFFFFFF << (m % 5 * 4);
            if ((m / 5 & 1) != 0) { mask.Ipv4Src = 0xFFFFFF00; }
            if ((m / 5 & 2) != 0) { mask.TpDst = 0xFFFF; }
            if (m / 5 >= 2) { mask.TpSrc = 0xFFFF; }
            masks[m] = mask;
        }

        var rules = new (FlowKey, FlowKey)[count];
        for (var i = 0; i < count; i++)
        {
            var key = default(FlowKey);
            key.InPort = 1;
            key.EtherType = 0x0800;
            key.IpProto = 17;
            key.Ipv4Src = 0x0A000000u | (uint)random.Next(1 << 16);
            key.Ipv4Dst = 0xC0000000u | (uint)(i << 8) | (uint)random.Next(256);
            key.TpSrc = (ushort)random.Next(1024, 65535);
            key.TpDst = (ushort)random.Next(1, 1024);
            rules[i] = (key.And(masks[i % maskCount]), masks[i % maskCount]);
        }

        return rules;
    }
}
