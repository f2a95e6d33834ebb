using System.Text.Json;
using System.Text.Json.Serialization;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Nvme.Subsystem;

/// <summary>Target configuration (nic-fw config section / nvmf-target --config JSON).</summary>
public sealed class TargetConfig
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Address reported in discovery log entries (TRADDR); defaults to the listen address.</summary>
    public string? AdvertiseAddress { get; set; }

    /// <summary>I/O queue command capsule size in 16-byte units (Identify IOCCSZ); in-capsule data = IOCCSZ*16-64.
    /// The minimum, 4, forces every write through R2T/H2CData.</summary>
    public int Ioccsz { get; set; } = 4 + (8192 / 16);

    public int MaxH2CDataSize { get; set; } = 128 * 1024;

    /// <summary>MDTS as a power of two of 4 KiB pages (5 = 128 KiB).</summary>
    public int Mdts { get; set; } = 5;

    public bool AllowHeaderDigest { get; set; } = true;

    public bool AllowDataDigest { get; set; } = true;

    public int MaxQueueEntries { get; set; } = 128;

    public int MaxIoQueues { get; set; } = 16;

    public int KeepAliveCheckIntervalMs { get; set; } = 100;

    /// <summary>Target dispatch capacity in IOPS for work-conserving rate limiting (0 = off).</summary>
    public long CapacityIops { get; set; }

    /// <summary>Let applications above their own rate use idle capacity, never beyond their ceiling (SLA limit): when the
    /// core is capped (<see cref="CoreCapacityIops"/>) while its arbiter is idle, else within <see cref="CapacityIops"/>.</summary>
    public bool WorkConserving { get; set; }

    /// <summary>How the target core's arbiter picks the next SQ when its dequeue capacity is contended: RoundRobin
    /// (default) or WeightedRoundRobin (weights via <c>NvmeTcpTarget.SetApplicationWeight</c>).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<SchedulingPolicy>))]
    public SchedulingPolicy Arbitration { get; set; } = SchedulingPolicy.RoundRobin;

    /// <summary>Dequeue capacity of the target core in I/O commands per second (0 = unlimited: commands dispatch as
    /// they arrive). When set, backlogged SQs share it by <see cref="Arbitration"/>.</summary>
    public long CoreCapacityIops { get; set; }

    /// <summary>With the system clock and <see cref="CoreCapacityIops"/> set, grant waiting SQs when the next capacity
    /// token ripens, from a dedicated timer thread sleeping with clock_nanosleep (true, default), instead of from the
    /// system timer, whose 1 ms steps grant commands in batches: at 5,000 IOPS a tenant with one command outstanding
    /// then gets at most one command per batch. The thread exists only while the core is capped and wakes only while
    /// commands wait.</summary>
    public bool PreciseGrants { get; set; } = true;

    /// <summary>Drive connections from a dedicated poll-group thread (non-blocking sockets, epoll, spin-then-park) instead
    /// of one asynchronous loop per connection on the thread pool. Used on Linux x86-64 with the system clock; the
    /// asynchronous loop remains the fallback (and serves fake-time tests).</summary>
    public bool PollGroup { get; set; } = true;

    /// <summary>How long the poll-group thread keeps polling after its last work before parking in epoll_wait (µs).
    /// 50 by default. On a core dedicated to the target (perf runs: <c>scripts/perf-nvme.sh</c> uses 1000) a longer
    /// spin keeps the thread on its core through a deep-queue exchange — QD32 on the loaded 2-vCPU box gave 180–197K
    /// IOPS at 1 ms vs 78–91K at 50 µs — but on a shared core it delays the process's other threads: the live WRR
    /// arbiter tests (whose capacity timer shares the box with the poll thread) lose their 1:2:4 shares at 1 ms.
    /// An idle queue costs at most one spin per I/O.</summary>
    public int PollSpinMicroseconds { get; set; } = Transport.PollGroup.DefaultSpinMicroseconds;

    /// <summary>Reads of at least this many bytes are sent straight from the namespace's shared memory (one sendmsg
    /// with an iovec per piece, blocks pinned until sent) when a poll group drives the connection; smaller reads are
    /// copied into the send buffer. 0 turns zero-copy off. Default 8 KiB: at 4 KiB the copy costs about what the
    /// pins and the extra iovecs do.</summary>
    public int ZeroCopyReadMinSize { get; set; } = 8192;

    public SharedMemoryConfig SharedMemory { get; set; } = new();

    [JsonPropertyName("subsystems")]
    public IList<SubsystemConfig> Subsystems { get; init; } = [];

    public int MaxTransferSize => 4096 << Mdts;

    public static TargetConfig Parse(string json) =>
        JsonSerializer.Deserialize<TargetConfig>(json, Options) ?? throw new InvalidDataException("Target config is empty.");

    public static TargetConfig Load(string path) => Parse(File.ReadAllText(path));
}
