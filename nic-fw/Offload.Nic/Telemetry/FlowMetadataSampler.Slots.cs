using System.Buffers.Binary;
using Offload.Nic.Nvme.Scheduler;

namespace Offload.Nic.Telemetry;

/// <summary>The per-connection memory of <see cref="FlowMetadataSampler"/>: one slot per line of the source's slab, in
/// the same order, so the sweep reads both sequentially.</summary>
internal sealed partial class FlowMetadataSampler
{
    private static readonly OccupancyThresholds Thresholds = new();
    private ConnectionSlot[] _slots = [];

    /// <summary>Each line's SQ and CQ time-averaged depth trackers, for a sweep of the sampler's own only:
    /// in the occupancy reporter's sweep the report's averages are passed in, so the 48 bytes per connection stay out
    /// of the slots that sweep streams through (10,000 connections: 480 KB less read per period).</summary>
    private OwnAverage[] _averages = [];
    private double _constantsPerTick;
    private int _latencyEvery = ConnectionLatencyEvery;

    /// <summary>Takes a line's new owner into its slot (a new connection, or another one on a reused line): what does
    /// not change per period is read from the owner once. False when the line is free, or changed owner while read
    /// (it is described at the next sweep).</summary>
    private bool Describe(ref ConnectionSlot slot, ConnectionCounters? owner, long id)
    {
        slot = default;
        if (id == 0 || owner is null || owner.Id != id)
        {
            return false;
        }

        slot = new ConnectionSlot
        {
            Connection = id,
            Owner = owner,
            Application = Apps.GetOrAdd(owner.App),
            QueueId = owner.QueueId,
            LatencyCountdown = 1 + (int)(id % _latencyEvery),
            RemoteHigh = BinaryPrimitives.ReverseEndianness(owner.Remote.High),
            RemoteLow = BinaryPrimitives.ReverseEndianness(owner.Remote.Low),
            RemotePort = owner.RemotePort,
            LocalHigh = BinaryPrimitives.ReverseEndianness(owner.Local.High),
            LocalLow = BinaryPrimitives.ReverseEndianness(owner.Local.Low),
            LocalPort = owner.LocalPort,
        };
        return true;
    }

    /// <summary>The sampler's own averages of one line's queues, and the connection they belong to.</summary>
    private struct OwnAverage
    {
        public long Connection;
        public AverageTracker Sq;
        public AverageTracker Cq;
    }

    /// <summary>What the sampler remembers of the connection on one slab line (reset when the line's owner changes).</summary>
    private struct ConnectionSlot
    {
        /// <summary>The line owner's <see cref="ConnectionCounters.Id"/>; 0 = nobody.</summary>
        public long Connection;
        public ConnectionCounters? Owner;
        /// <summary>The remote (host) and local (listener) addresses as the packed record stores them (byte-swapped:
        /// network order in memory on a little-endian CPU).</summary>
        public ulong RemoteHigh;
        public ulong RemoteLow;
        public ulong LocalHigh;
        public ulong LocalLow;
        public ushort RemotePort;
        public ushort LocalPort;
        public ushort QueueId;
        public long ReadCommands;
        public long WriteCommands;
        public long BytesRead;
        public long BytesWritten;
        public long CpuNanoseconds;
        public long Pdus;
        public double ReadEwma;
        public double WriteEwma;
        public long CompletedAtLatency;

        /// <summary>Periods until this connection's latency window ends.</summary>
        public int LatencyCountdown;
        public Offload.Contracts.Ids.AppId Application;
        public uint P50;
        public uint P99;
        public uint P999;
        public bool HasEwma;
        public bool LatencyMeasured;

        /// <summary>The histogram groups <see cref="Latency"/> holds (bit g: buckets g*8 .. g*8+7).</summary>
        public ulong LatencyGroups;

        /// <summary>The connection's cumulative counts of <see cref="LatencyGroups"/> at its last latency window, 8 per
        /// group in group order (allocated at the first window, grown when a new group is recorded).</summary>
        public long[]? Latency;
    }
}
