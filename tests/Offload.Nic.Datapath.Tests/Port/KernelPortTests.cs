using System.Buffers.Binary;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Port;
using Offload.Testing.Network;

namespace Offload.Nic.Datapath.Tests.Port;

/// <summary>
/// TAP and AF_PACKET ports against the real kernel. Needs root (CAP_NET_ADMIN/CAP_NET_RAW), iproute2 and
/// python3; everything happens inside a network namespace the test creates.
/// </summary>
public class KernelPortTests
{
    private static byte[]? WaitForArp(IPort port, uint targetIp)
    {
        var batch = new FrameBatch();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            batch.Clear();
            port.ReceiveBurst(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                var frame = batch.Frame(i);
                if (FlowExtractor.Extract(frame, 0, 0, out var key, out _) == DropReason.None
                    && key.EtherType == FlowExtractor.EtherTypeArp && key.Ipv4Dst == targetIp)
                {
                    return frame.ToArray();
                }
            }

            Thread.Sleep(5);
        }

        return null;
    }

    private static void TransmitAndExpectRx(NetworkNamespace ns, IPort port, string device)
    {
        var before = ns.RxPackets(device);
        var batch = new FrameBatch();
        var frame = TestFrames.Ipv4Udp(TestFrames.MacA, 0xFFFF_FFFF_FFFF);
        batch.TryAdd(frame);
        batch.TryAdd(frame);

        Assert.Equal(2, port.TransmitBurst(batch));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (ns.RxPackets(device) < before + 2 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.True(ns.RxPackets(device) >= before + 2);
    }

    [Fact]
    public void OpenTap_InTestNamespace_ReceivesKernelArpAndTransmitsIntoKernel()
    {
        using var ns = new NetworkNamespace();
        var device = $"dptap{Random.Shared.Next(10000)}";
        using var port = Ports.OpenTap(device);
        NetworkNamespace.Run("ip", $"link set {device} netns {ns.Name}");
        ns.Exec("ip", $"addr add 10.99.0.1/24 dev {device}");
        ns.Exec("ip", $"link set {device} up");

        ns.TriggerArp("10.99.0.2");
        var arp = WaitForArp(port, 0x0A630002);

        Assert.NotNull(arp);
        Assert.Equal(0x0A630001u, BinaryPrimitives.ReadUInt32BigEndian(arp.AsSpan(14 + 14)));
        TransmitAndExpectRx(ns, port, device);
    }

    [Fact]
    public void OpenPacketSocket_OnVethIntoTestNamespace_ReceivesAndTransmits()
    {
        using var ns = new NetworkNamespace();
        var outside = $"dpva{Random.Shared.Next(10000)}";
        var inside = $"dpvb{Random.Shared.Next(10000)}";
        NetworkNamespace.Run("ip", $"link add {outside} type veth peer name {inside} netns {ns.Name}");
        try
        {
            NetworkNamespace.Run("ip", $"link set {outside} up");
            ns.Exec("ip", $"addr add 10.98.0.1/24 dev {inside}");
            ns.Exec("ip", $"link set {inside} up");
            using var port = Ports.OpenPacketSocket(outside);

            ns.TriggerArp("10.98.0.2");
            var arp = WaitForArp(port, 0x0A620002);

            Assert.NotNull(arp);
            TransmitAndExpectRx(ns, port, inside);
        }
        finally
        {
            try
            {
                NetworkNamespace.Run("ip", $"link del {outside}");
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
