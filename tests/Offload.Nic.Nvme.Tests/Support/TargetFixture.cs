using System.Net;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Nic.Nvme.Tests.Support;

/// <summary>Starts a real target on an ephemeral loopback port with two tenants.</summary>
public static class TargetFixture
{
    public const string TenantA = "nqn.2026-01.io.offload:tenant-a";
    public const string TenantB = "nqn.2026-01.io.offload:tenant-b";
    public const uint TenantANsid = 3;
    public const string HostB = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-00000000000b";

    public static TargetConfig Config(int ioccsz = 4 + 512, int mdts = 5) => new()
    {
        Ioccsz = ioccsz,
        Mdts = mdts,
        MaxH2CDataSize = 128 * 1024,
        KeepAliveCheckIntervalMs = 20,
        Subsystems =
        {
            new SubsystemConfig
            {
                Nqn = TenantA,
                Hosts = { HostInitiator.DefaultHostNqn },
                Namespaces = { new NamespaceConfig { Nsid = TenantANsid, Size = 4L * 1024 * 1024, BlockSize = 512 } },
            },
            new SubsystemConfig
            {
                Nqn = TenantB,
                Hosts = { HostB },
                Namespaces =
                {
                    new NamespaceConfig { Nsid = 1, Size = 4L * 1024 * 1024, BlockSize = 4096 },
                    new NamespaceConfig { Nsid = 2, Size = 1L * 1024 * 1024, BlockSize = 512 },
                },
            },
        },
    };

    public static NvmeTcpTarget Start(TargetConfig? config = null, TimeProvider? time = null)
    {
        var target = new NvmeTcpTarget(config ?? Config(), time);
        target.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return target;
    }
}
