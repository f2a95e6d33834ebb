using Offload.Emulation.Guest;
using Offload.Emulation.Qemu;

namespace Offload.Emulation.Tests.Qemu;

public sealed class GuestNetworkTests
{
    [Fact]
    public void ToNetdevArgument_EachKind_QemuSyntax()
    {
        Assert.Equal("user,id=n0", GuestNetwork.User().ToNetdevArgument("n0"));
        Assert.Equal(
            "stream,id=n0,server=on,addr.type=inet,addr.host=127.0.0.1,addr.port=5000",
            GuestNetwork.StreamServer(5000, "10.0.3.1/24").ToNetdevArgument("n0"));
        Assert.Equal(
            "stream,id=n1,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=5001",
            GuestNetwork.StreamClient(5001, "10.0.3.2/24").ToNetdevArgument("n1"));
        Assert.Equal(
            "dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=6000,remote.type=inet,remote.host=127.0.0.1,remote.port=6001",
            GuestNetwork.Datagram(6000, 6001, "10.0.4.1/24").ToNetdevArgument("n0"));
    }

    [Fact]
    public void BuildArguments_WithCapture_TcgNoKvmAndFilterDump()
    {
        var image = new GuestImage("/k/vmlinuz", "/k/initramfs.cpio.gz", "key", []);
        var options = new GuestMachineOptions(image) { Name = "g1", PcapPath = "/tmp/x.pcap", Network = GuestNetwork.StreamClient(7, "10.9.0.2/24") };

        var arguments = QemuRunner.BuildArguments(options, "/tmp/initrd");

        Assert.Equal("tcg", arguments[arguments.ToList().IndexOf("-accel") + 1]);
        Assert.DoesNotContain(arguments, a => a.Contains("kvm", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("filter-dump,id=f1,netdev=n0,file=/tmp/x.pcap", arguments);
        Assert.Contains(arguments, a => a.StartsWith("console=ttyS0", StringComparison.Ordinal) && a.Contains("offload.ip=10.9.0.2/24 offload.gw=none", StringComparison.Ordinal));
        Assert.Contains(arguments, a => a.StartsWith("virtio-net-pci,netdev=n0,romfile=", StringComparison.Ordinal));
    }
}
