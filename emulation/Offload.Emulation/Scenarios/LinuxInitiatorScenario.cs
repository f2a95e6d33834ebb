using System.Globalization;
using System.Text;

namespace Offload.Emulation.Scenarios;

/// <summary>
/// The stock Linux NVMe/TCP initiator run against a target: discover, an optional refused connect with a host NQN
/// that is not on the allow-list, connect (optionally with header/data digests, <c>-g -G</c>), list, id-ctrl,
/// id-ns, fio randrw with crc32c verify per block size, disconnect. Produces the scenario script /init sources;
/// each action is a <c>step</c> whose name is one of the constants below.
/// </summary>
public sealed record LinuxInitiatorScenario(string TargetAddress, int Port, string SubsystemNqn, string HostNqn, string HostId)
{
    /// <summary>Step names.</summary>
    public const string Discover = "discover";

    /// <inheritdoc cref="Discover"/>
    public const string DeniedConnect = "denied-connect";

    /// <inheritdoc cref="Discover"/>
    public const string Connect = "connect";

    /// <inheritdoc cref="Discover"/>
    public const string WaitDevice = "wait-device";

    /// <inheritdoc cref="Discover"/>
    public const string List = "list";

    /// <inheritdoc cref="Discover"/>
    public const string IdCtrl = "id-ctrl";

    /// <inheritdoc cref="Discover"/>
    public const string IdNs = "id-ns";

    /// <inheritdoc cref="Discover"/>
    public const string Disconnect = "disconnect";

    /// <inheritdoc cref="Discover"/>
    public const string Kernel = "dmesg";

    /// <summary>Connect with <c>-g -G</c> (header and data digests).</summary>
    public bool Digests { get; init; }

    /// <summary>When set, first try to connect with this host NQN (expected to be refused).</summary>
    public string? DeniedHostNqn { get; init; }

    /// <summary>fio block sizes in bytes; each runs as step <c>fio-&lt;bs&gt;</c>.</summary>
    public IReadOnlyList<int> FioBlockSizes { get; init; } = [4096, 131072];

    /// <summary>fio size per job (bytes of the namespace exercised).</summary>
    public string FioSize { get; init; } = "16M";

    /// <summary>fio queue depth.</summary>
    public int FioIoDepth { get; init; } = 8;

    /// <summary>The step name of the fio run with <paramref name="blockSize"/>.</summary>
    public static string FioStep(int blockSize) => string.Create(CultureInfo.InvariantCulture, $"fio-{blockSize}");

    /// <summary>The busybox sh script.</summary>
    public string Build()
    {
        var target = string.Create(CultureInfo.InvariantCulture, $"-t tcp -a {TargetAddress} -s {Port}");
        var digests = Digests ? " -g -G" : string.Empty;
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $"step {Discover} nvme discover {target} -q {HostNqn} -I {HostId}\n");
        if (DeniedHostNqn is not null)
        {
            script.Append(CultureInfo.InvariantCulture, $"step {DeniedConnect} nvme connect {target} -n {SubsystemNqn} -q {DeniedHostNqn}{digests}\n");
        }

        script.Append(CultureInfo.InvariantCulture, $"step {Connect} nvme connect {target} -n {SubsystemNqn} -q {HostNqn} -I {HostId}{digests}\n");
        script.Append(CultureInfo.InvariantCulture, $"step {WaitDevice} retry 10 sh -c 'ls /dev/nvme*n1'\n");
        script.Append("DEV=$(ls /dev/nvme*n1 2>/dev/null | head -n 1)\n");
        script.Append("CTRL=${DEV%n1}\n");
        script.Append(CultureInfo.InvariantCulture, $"step {List} nvme list\n");
        script.Append(CultureInfo.InvariantCulture, $"step {IdCtrl} nvme id-ctrl $CTRL\n");
        script.Append(CultureInfo.InvariantCulture, $"step {IdNs} nvme id-ns $DEV\n");
        foreach (var blockSize in FioBlockSizes)
        {
            script.Append(CultureInfo.InvariantCulture,
                $"step {FioStep(blockSize)} fio --name=verify-{blockSize} --filename=$DEV --direct=1 --ioengine=libaio --rw=randrw --bs={blockSize} " +
                $"--iodepth={FioIoDepth} --size={FioSize} --verify=crc32c --do_verify=1 --verify_fatal=1 --randseed={blockSize}\n");
        }

        script.Append(CultureInfo.InvariantCulture, $"step {Disconnect} nvme disconnect -n {SubsystemNqn}\n");
        script.Append(CultureInfo.InvariantCulture, $"step {Kernel} dmesg\n");
        return script.ToString();
    }
}
