using System.Net;

namespace Offload.Emulation.LoadGen;

/// <summary>What the load generator does; the flags mirror spdk_nvme_perf (-q, -o, -w, -M, -t).</summary>
public sealed record LoadGeneratorOptions(IPEndPoint Target, string SubsystemNqn, string HostNqn)
{
    /// <summary>Host ID sent in Connect.</summary>
    public Guid HostId { get; init; } = Guid.NewGuid();

    /// <summary>Namespace to drive.</summary>
    public uint NamespaceId { get; init; } = 1;

    /// <summary>Outstanding I/Os (spdk_nvme_perf -q).</summary>
    public int QueueDepth { get; init; } = 1;

    /// <summary>I/O size in bytes (-o); a multiple of the namespace block size.</summary>
    public int IoSize { get; init; } = 4096;

    /// <summary>Share of reads in percent (-M; 100 = read, 0 = write).</summary>
    public int ReadPercent { get; init; } = 100;

    /// <summary>Random offsets (randread/randwrite/randrw) or sequential.</summary>
    public bool Random { get; init; } = true;

    /// <summary>How long to run (-t).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Target rate in IOPS, honoured by pacing issue times; 0 = as fast as the queue depth allows.</summary>
    public double TargetIops { get; init; }

    /// <summary>Pace to the rate the datapath advertises in-band (IPv4 option 0x9E on the target's segments, see
    /// <see cref="RateAdvertisementListener"/>; needs CAP_NET_RAW). The advertised rate replaces
    /// <see cref="TargetIops"/> from the first advertisement on.</summary>
    public bool FollowRateAdvertisement { get; init; }

    /// <summary>Write <see cref="BlockPattern"/> data and check it on every read.</summary>
    public bool Verify { get; init; }

    /// <summary>Ask for header and data digests (CRC32C) in ICReq, like <c>nvme connect -g -G</c>.</summary>
    public bool Digests { get; init; }

    /// <summary>Bytes of the namespace to use (0 = all of it).</summary>
    public long RangeSize { get; init; }

    /// <summary>I/O queues (connections); the queue depth is split across them.</summary>
    public int QueueCount { get; init; } = 1;

    /// <summary>Seed for the offset and read/write choices.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Told about every completion as it happens (null = none); see <see cref="ILoadObserver"/>.</summary>
    public ILoadObserver? Observer { get; init; }
}
