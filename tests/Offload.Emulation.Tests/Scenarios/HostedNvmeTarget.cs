using System.Globalization;
using System.Net;
using Offload.Nic.Nvme;
using Offload.Nic.Nvme.Subsystem;

namespace Offload.Emulation.Tests.Scenarios;

/// <summary>The nic-fw NVMe/TCP target hosted in the test process on 0.0.0.0:ephemeral, reachable from slirp guests at 10.0.2.2.</summary>
internal sealed class HostedNvmeTarget : IAsyncDisposable
{
    public const string SubsystemNqn = "nqn.2026-01.io.offload:tenant-a";
    public const string HostNqn = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-00000000000a";
    public const string HostId = "00000000-0000-0000-0000-00000000000a";
    public const string DeniedHostNqn = "nqn.2014-08.org.nvmexpress:uuid:00000000-0000-0000-0000-0000000000bb";

    private HostedNvmeTarget(NvmeTcpTarget target) => Target = target;

    public NvmeTcpTarget Target { get; }

    public int Port => Target.LocalEndPoint!.Port;

    /// <param name="ioccsz">Identify IOCCSZ in 16-byte units; 4 leaves no in-capsule data so every write takes R2T/H2CData.</param>
    public static HostedNvmeTarget Start(int ioccsz)
    {
        var json = string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "ioccsz": {{ioccsz}},
              "maxH2CDataSize": 131072,
              "mdts": 5,
              "advertiseAddress": "10.0.2.2",
              "allowHeaderDigest": true,
              "allowDataDigest": true,
              "subsystems": [
                {
                  "nqn": "{{SubsystemNqn}}",
                  "allowAnyHost": false,
                  "hosts": [ "{{HostNqn}}" ],
                  "namespaces": [ { "nsid": 1, "size": 67108864, "blockSize": 512 } ]
                }
              ]
            }
            """);
        var target = new NvmeTcpTarget(TargetConfig.Parse(json));
        target.Start(new IPEndPoint(IPAddress.Any, 0));
        return new HostedNvmeTarget(target);
    }

    public ValueTask DisposeAsync() => Target.DisposeAsync();
}
