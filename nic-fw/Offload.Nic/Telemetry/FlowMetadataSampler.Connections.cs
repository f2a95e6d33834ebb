using System.Numerics;
using Offload.Contracts.Messages;
using Offload.Nic.Nvme.Scheduler;
using QueueOccupancy = Offload.Nic.Nvme.Scheduler.QueueOccupancy;
using WireLevel = Offload.Contracts.Messages.OccupancyLevel;

namespace Offload.Nic.Telemetry;

/// <summary>
/// Per-connection flow records: one <see cref="FlowRecordKind.Connection"/> record per live NVMe/TCP I/O connection
/// (queue pair), read in one in-order sweep of the source's <see cref="TelemetrySlab"/> lines (counters and SQ/CQ state
/// side by side; no lock, no per-connection object touched except to describe a new line and to read a latency
/// window), FlowId = <see cref="FlowRecord.ConnectionFlowIdBit"/> | the connection's process-unique id, Source =
/// the host's address and port, Destination = the NIC's listener, protocol 6 (TCP), Application = its application, the
/// same rates as the application records plus this queue pair's SQ/CQ occupancy. Latency percentiles of a connection
/// are computed over <see cref="ConnectionLatencyEvery"/> periods (100 ms at the default 10 ms period; staggered by
/// connection id; a connection's first percentiles as soon as it has completions), or more when there are more than
/// <see cref="LatencyWindowsPerPeriod"/> x 10 connections so that a period reads at most that many histograms (at 10,000
/// connections, 40 periods: 400 ms windows) and held in between, over the
/// histogram groups it has recorded only (reading 512 buckets per connection dominated the cost at 10,000 connections). The application records already include every connection (and ones closed during the window);
/// consumers aggregate one kind, never both. Connection records are packed (<see cref="PackedFlowRecord"/>, batch key 6;
/// <see cref="PackConnections"/>) into one buffer the batches slice, at most <see cref="MaxPackedPerBatch"/> per batch;
/// unpacked, records beyond <see cref="FlowMetadataBatch.MaxFlows"/> go in continuation batches (<see cref="TryNextPart"/>).
/// </summary>
internal sealed partial class FlowMetadataSampler
{
    /// <summary>Periods per connection latency window (the least; see <see cref="LatencyWindowsPerPeriod"/>).</summary>
    internal const int ConnectionLatencyEvery = 10;

    /// <summary>Connection latency windows closed per period at most (on average), by default: a histogram read is a
    /// few cache misses on the connection's own 4 KiB histogram, 1,000 of them were a fifth of a 10,000-connection
    /// period.</summary>
    internal const int DefaultLatencyWindowsPerPeriod = 250;

    /// <summary>Connection latency windows closed per period at most (on average); fewer windows, each longer, past
    /// this many times <see cref="ConnectionLatencyEvery"/> connections (<see cref="TelemetryOptions.ConnectionLatencyWindowsPerPeriod"/>).</summary>
    public int LatencyWindowsPerPeriod
    {
        get => _latencyWindowsPerPeriod;
        set => _latencyWindowsPerPeriod = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least 1.");
    }

    private int _latencyWindowsPerPeriod = DefaultLatencyWindowsPerPeriod;

    private const byte Tcp = 6;

    private readonly List<FlowRecord> _pending = [];
    private readonly FlowMetadataBatch _partMessage = new();
    private readonly long[] _connectionWindow = new long[LatencyHistogram.BucketCount];
    private int _pendingNext;
    private int _part;
    private bool _sweptAhead;
    private double _seconds = 1e-6;
    private int _sweepLines;
    private long _sweepNow;
    private double _perSecond;
    private byte[] _packed = [];
    private int _packedCount;

    /// <summary>Packed records per CRC block (see <see cref="Packed"/>); batches split on block boundaries.</summary>
    internal const int CrcBlockRecords = 128;

    private static readonly uint s_crcBlockFactor = Offload.Contracts.Mailbox.Crc32C.LengthFactor(CrcBlockRecords * PackedFlowRecord.Size);

    /// <summary>The CRC register of each closed block of packed records, and the records they cover.</summary>
    private uint[] _blockCrcs = new uint[16];
    private int _crcRecords;

    /// <summary>Packed connection records per batch: 7168 x 132 B = 924 KiB, under the 1 MiB default frame cap.</summary>
    internal const int MaxPackedPerBatch = 7168;

    /// <summary>Send connection records in the fixed layout of <see cref="PackedFlowRecord"/> (FlowMetadataBatch key 6;
    /// default) rather than as MessagePack records in key 2 (for a host too old to read key 6).</summary>
    public bool PackConnections { get; set; } = true;

    /// <summary>Connection records of this period not in <see cref="Message"/> (too many for one batch).</summary>
    public int PendingConnections => PackConnections ? _packedCount - _pendingNext : _pending.Count - _pendingNext;

    /// <summary>Fills the next continuation batch of this period (Part 1, 2, ...) with connection records that did
    /// not fit in <see cref="Message"/>; false when there are none left.</summary>
    public bool TryNextPart(out FlowMetadataBatch part)
    {
        part = _partMessage;
        if (_pendingNext >= (PackConnections ? _packedCount : _pending.Count))
        {
            return false;
        }

        _partMessage.Flows.Clear();
        _partMessage.Applications.Clear();
        _partMessage.TimestampUnixNanos = _message.TimestampUnixNanos;
        _partMessage.PeriodNanos = _message.PeriodNanos;
        _partMessage.Totals = _message.Totals;
        _partMessage.Part = ++_part;
        if (PackConnections)
        {
            int count = Math.Min(_packedCount - _pendingNext, MaxPackedPerBatch);
            _partMessage.SetPackedConnections(_packed.AsMemory(_pendingNext * PackedFlowRecord.Size, count * PackedFlowRecord.Size), RecordsCrc(_pendingNext, count));
            _pendingNext += count;
            return true;
        }

        _partMessage.PackedConnections = default;
        int end = Math.Min(_pending.Count, _pendingNext + FlowMetadataBatch.MaxFlows);
        for (; _pendingNext < end; _pendingNext++)
        {
            _partMessage.Flows.Add(_pending[_pendingNext]);
        }

        return true;
    }

    /// <summary>Whether the occupancy reporter may measure this period's connection records inside its own sweep of
    /// the lines (<see cref="BeginSweep"/>, <see cref="SweepLine"/>: one pass over the slab per period instead of
    /// two): packed records measured in place, on the slab <paramref name="slab"/> the reporter sweeps.</summary>
    internal bool CanSweepWith(TelemetrySlab slab) =>
        PackConnections && BitConverter.IsLittleEndian && ReferenceEquals(_connections?.Telemetry, slab);

    /// <summary>Starts this period's connection records ahead of <see cref="Sample"/>: the caller then passes every
    /// line of the slab, in order, to <see cref="SweepLine"/>, and the next <see cref="Sample"/> uses the records (and
    /// this moment as the end of the period) instead of sweeping itself.</summary>
    internal void BeginSweep()
    {
        StartPeriod();
        PrepareSweep(_connections!.Telemetry);
        _sweptAhead = true;
    }

    /// <summary>Ends the period: its length, and the connection records' buffers emptied.</summary>
    private void StartPeriod()
    {
        long now = time.GetTimestamp();
        _seconds = Math.Max(time.GetElapsedTime(_lastSample, now).TotalSeconds, 1e-6);
        _lastSample = now;
        _pending.Clear();
        _pendingNext = 0;
        _part = 0;
        _message.Part = 0;
        _message.PackedConnections = default;
        _lastPeriodRecords = _packedCount;
        _packedCount = 0;
        _crcRecords = 0;
        _blockChanged = false;
    }

    /// <summary>This period's connection records (after the application records: unpacked ones are appended to the
    /// message), split so the first batch stays under the frame cap.</summary>
    private void AddConnections()
    {
        if (_connections is null)
        {
            return;
        }

        if (!_sweptAhead)
        {
            var slab = _connections.Telemetry;
            PrepareSweep(slab);
            Sweep(slab);
        }

        if (PackConnections && _packedCount > 0)
        {
            // The first batch also carries the application records and names: leave room for them under the frame cap.
            int room = Math.Max(0, MaxPackedPerBatch - (2 * (_message.Flows.Count + _message.Applications.Count)));
            // On a CRC block's boundary, so that every batch's records are whole blocks (the last one aside).
            int first = Math.Min(_packedCount, room - (room % CrcBlockRecords));
            CloseCrcBlock();
            _message.SetPackedConnections(_packed.AsMemory(0, first * PackedFlowRecord.Size), RecordsCrc(0, first));
            _pendingNext = first;
        }
    }

    /// <summary>What a sweep reads once: the lines to visit, the time, the rate factor, the latency window.</summary>
    private void PrepareSweep(TelemetrySlab slab)
    {
        _sweepLines = slab.Fit(ref _slots);
        _constantsPerTick = slab.ConstantsPerTick;
        _sweepNow = slab.Time.GetTimestamp();
        _perSecond = 1 / _seconds;
        _latencyEvery = Math.Max(ConnectionLatencyEvery, (int)((slab.Rented + (long)_latencyWindowsPerPeriod - 1) / _latencyWindowsPerPeriod));
    }

    /// <summary>One record per described I/O line of <paramref name="slab"/>, in line order.</summary>
    private void Sweep(TelemetrySlab slab)
    {
        var chunks = slab.Chunks;
        for (int c = 0, first = 0; c < chunks.Length && first < _sweepLines; c++, first += TelemetrySlab.LinesPerChunk)
        {
            var chunk = chunks[c];
            int n = Math.Min(TelemetrySlab.LinesPerChunk, _sweepLines - first);
            for (int i = 0; i < n; i++)
            {
                SweepLine(chunk, i, first + i);
            }
        }
    }

    /// <summary>Line <paramref name="i"/> of <paramref name="chunk"/>, the slab's line <paramref name="index"/>: its
    /// connection record, when an I/O connection is described on it. A caller that has just computed the line's SQ and
    /// CQ time-averaged depths passes them (else NaN: the sampler computes its own).</summary>
    internal void SweepLine(TelemetrySlab.Chunk chunk, int i, int index, double sqAverage = double.NaN, double cqAverage = double.NaN)
    {
        if (index >= _sweepLines)
        {
            return; // the slab grew after this sweep began: the line is read next period
        }

        ref var line = ref chunk.Lines[i];
        ref var slot = ref _slots[index];
        long id = Volatile.Read(ref line.Id);
        if (id != slot.Connection && !Describe(ref slot, chunk.Owners[i], id))
        {
            return;
        }

        if (slot.QueueId == 0)
        {
            return; // an admin queue (or a free line): not a flow
        }

        if (double.IsNaN(sqAverage))
        {
            (sqAverage, cqAverage) = OwnAverages(ref line, index, slot.Connection);
        }

        if (PackConnections && BitConverter.IsLittleEndian)
        {
            // The record is measured straight into its place in the packed buffer (no FlowRecord, no copy), unless it
            // is the same connection's record as last period and nothing in it can have changed (an idle connection).
            int at = _packedCount;
            ref var packed = ref PackedFlowRecord.At(NextPacked());
            if (KeepUnchanged && TryKeep(ref line, ref slot, ref packed, at, sqAverage, cqAverage, out bool rewritten))
            {
                Packed(rewritten);
                return;
            }

            Measure(ref line, ref slot, ref packed, sqAverage, cqAverage);
            Owned(at, slot.Connection);
            Packed();
            return;
        }

        MeasureUnpacked(ref line, ref slot, sqAverage, cqAverage);
    }

    /// <summary>The record measured into a local and added as a <see cref="FlowRecord"/> (MessagePack records, or a
    /// big-endian machine). Not inlined: its locals (a record layout and a <see cref="FlowRecord"/>, ~300 bytes) were
    /// zeroed on every line of the sweep's loop, where <see cref="SweepLine"/> is inlined, even on the packed path.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void MeasureUnpacked(ref ConnectionLine line, ref ConnectionSlot slot, double sqAverage, double cqAverage)
    {
        var layout = default(PackedFlowRecord.Layout);
        Measure(ref line, ref slot, ref layout, sqAverage, cqAverage);
        var record = PackedFlowRecord.ToRecord(layout);
        if (PackConnections)
        {
            PackedFlowRecord.Write(NextPacked(), record);
            Packed();
        }
        else if (_message.Flows.Count < FlowMetadataBatch.MaxFlows)
        {
            _message.Flows.Add(record);
        }
        else
        {
            _pending.Add(record);
        }
    }

    /// <summary>A record was packed: a block of <see cref="CrcBlockRecords"/> is CRC'd as soon as it is complete, while
    /// its 16.5 KiB are still in the cache (the frame's CRC then combines the blocks' registers instead of reading the
    /// 1.3 MB of a 10,000-connection period again).</summary>
    private void Packed(bool changed = true)
    {
        _blockChanged |= changed;
        if (++_packedCount % CrcBlockRecords == 0)
        {
            CloseCrcBlock();
        }
    }

    /// <summary>The CRC register of the records packed since the last block closed (a whole block, or the period's
    /// last, partial one).</summary>
    private void CloseCrcBlock()
    {
        if (_crcRecords == _packedCount)
        {
            return;
        }

        int block = _crcRecords / CrcBlockRecords;
        if (block >= _blockCrcs.Length)
        {
            Array.Resize(ref _blockCrcs, Math.Max(16, _blockCrcs.Length * 2));
        }

        // A whole block of records kept byte for byte since last period still has last period's register.
        bool whole = _packedCount - _crcRecords == CrcBlockRecords;
        if (_blockChanged || !whole || !WholeLastPeriod(block))
        {
            var records = _packed.AsSpan(_crcRecords * PackedFlowRecord.Size, (_packedCount - _crcRecords) * PackedFlowRecord.Size);
            _blockCrcs[block] = Offload.Contracts.Mailbox.Crc32C.Append(0, records);
        }

        _blockChanged = false;
        _crcRecords = _packedCount;
    }

    /// <summary>The CRC register (from 0) of <paramref name="count"/> packed records from <paramref name="first"/> (a
    /// block boundary), from the blocks' registers.</summary>
    private uint RecordsCrc(int first, int count)
    {
        uint register = 0;
        int end = first + count;
        for (int at = first; at < end; at += CrcBlockRecords)
        {
            int n = Math.Min(CrcBlockRecords, end - at);
            uint block = _blockCrcs[at / CrcBlockRecords];
            register = n == CrcBlockRecords
                ? Offload.Contracts.Mailbox.Crc32C.Combine(register, block, s_crcBlockFactor)
                : Offload.Contracts.Mailbox.Crc32C.Combine(register, block, (long)n * PackedFlowRecord.Size);
        }

        return register;
    }

    /// <summary>The line's SQ and CQ time-averaged depths from the sampler's own trackers (started afresh for a
    /// connection they have not tracked: a new owner of the line, or the first sweep of the sampler's own).</summary>
    private (double Sq, double Cq) OwnAverages(ref ConnectionLine line, int index, long connection)
    {
        if (_averages.Length <= index)
        {
            Array.Resize(ref _averages, Math.Max(index + 1, 2 * _averages.Length));
        }

        ref var own = ref _averages[index];
        if (own.Connection != connection)
        {
            own = new OwnAverage { Connection = connection };
        }

        return (own.Sq.Read(ref line.Submission, _sweepNow, _constantsPerTick), own.Cq.Read(ref line.Completion, _sweepNow, _constantsPerTick));
    }

    /// <summary>The packed buffer's next record (grown when full).</summary>
    private Span<byte> NextPacked()
    {
        int offset = _packedCount * PackedFlowRecord.Size;
        if (offset + PackedFlowRecord.Size > _packed.Length)
        {
            Array.Resize(ref _packed, Math.Max(64 * PackedFlowRecord.Size, _packed.Length * 2));
        }

        return _packed.AsSpan(offset, PackedFlowRecord.Size);
    }

    /// <summary>Fills every field of the connection record <paramref name="record"/> (in place in the packed buffer,
    /// or a local) from the connection's line and the sampler's memory of it.</summary>
    private void Measure(ref ConnectionLine line, ref ConnectionSlot state, ref PackedFlowRecord.Layout record, double sqAverage, double cqAverage)
    {
        double perSecond = _perSecond;
        long now = _sweepNow;
        long reads = Volatile.Read(ref line.ReadCommands), writes = Volatile.Read(ref line.WriteCommands);
        long bytesRead = Volatile.Read(ref line.BytesRead), bytesWritten = Volatile.Read(ref line.BytesWritten);
        long cpu = ConnectionCounters.TicksToNanoseconds(Volatile.Read(ref line.CpuTicks)), pdus = Volatile.Read(ref line.Pdus);
        float readRate = (float)(Math.Max(0, reads - state.ReadCommands) * perSecond);
        float writeRate = (float)(Math.Max(0, writes - state.WriteCommands) * perSecond);
        float requests = readRate + writeRate;
        float writeBytesRate = (float)(Math.Max(0, bytesWritten - state.BytesWritten) * perSecond);
        int sqSize = Volatile.Read(ref line.Submission.QueueSize), cqSize = Volatile.Read(ref line.Completion.QueueSize);
        record.FlowId = FlowRecord.ConnectionFlowIdBit | (ulong)state.Connection;
        record.Application = state.Application.Value;
        record.Protocol = Tcp;
        record.SqLevel = (byte)Thresholds.Classify(sqAverage, sqSize);
        record.CqLevel = (byte)Thresholds.Classify(cqAverage, cqSize);
        record.Reserved = 0;
        record.SourceHigh = state.RemoteHigh;
        record.SourceLow = state.RemoteLow;
        record.DestinationHigh = state.LocalHigh;
        record.DestinationLow = state.LocalLow;
        record.SourcePort = state.RemotePort;
        record.DestinationPort = state.LocalPort;
        record.ReadRateWindow = readRate;
        record.WriteRateWindow = writeRate;
        record.ReadWriteRatio = requests > 0 ? readRate / requests : 1f;
        record.ReadBytesRate = (float)(Math.Max(0, bytesRead - state.BytesRead) * perSecond);
        record.WriteBytesRate = writeBytesRate;
        record.BitRate = (float)((writeBytesRate * 8) + (requests * CapsuleSize * 8));
        record.SharedMemorySize = (ulong)Math.Max(0, bytesWritten);
        record.CpuNanosPerSecond = (ulong)(Math.Max(0, cpu - state.CpuNanoseconds) * perSecond);
        record.PacketRate = (float)(Math.Max(0, pdus - state.Pdus) * perSecond);
        record.SqDepth = (uint)Math.Max(0, Volatile.Read(ref line.Submission.Depth));
        record.SqAverage = (float)sqAverage;
        record.CqDepth = (uint)Math.Max(0, Volatile.Read(ref line.Completion.Depth));
        record.CqAverage = (float)cqAverage;

        if (!state.HasEwma)
        {
            state.ReadEwma = readRate;
            state.WriteEwma = writeRate;
            state.HasEwma = true;
        }

        state.ReadEwma = Smooth(state.ReadEwma, readRate);
        state.WriteEwma = Smooth(state.WriteEwma, writeRate);
        record.ReadRate = (float)state.ReadEwma;
        record.WriteRate = (float)state.WriteEwma;
        // Staggered by id (the first countdown) so 10,000 connections spread their histogram reads over the periods;
        // a connection with no percentiles yet takes its first as soon as it has completions.
        // A countdown rather than (period + id) % every: a 64-bit division per connection per period cost more than
        // the rest of the latency bookkeeping.
        long done = reads + writes;
        bool windowEnds = --state.LatencyCountdown <= 0;
        if (windowEnds)
        {
            state.LatencyCountdown = _latencyEvery;
        }

        bool due = windowEnds || !state.LatencyMeasured;
        if (due && done != state.CompletedAtLatency)
        {
            MeasureLatency(state.Owner!.Latency, ref state);
            state.CompletedAtLatency = done;
        }
        else if (due && state.LatencyMeasured)
        {
            // No completions over the latency window: nothing to rank (and no histogram to read).
            (state.P50, state.P99, state.P999) = (0, 0, 0);
        }

        record.LatencyP50Nanos = state.P50;
        record.LatencyP99Nanos = state.P99;
        record.LatencyP999Nanos = state.P999;
        state.ReadCommands = reads;
        state.WriteCommands = writes;
        state.BytesRead = bytesRead;
        state.BytesWritten = bytesWritten;
        state.CpuNanoseconds = cpu;
        state.Pdus = pdus;
    }

    /// <summary>Percentiles of the completions since the connection's previous latency window (none: held at 0).
    /// Reads only the histogram's recorded groups (a connection's latencies span a few powers of two), not 512 buckets,
    /// and remembers only those groups: the slot's copy is 8 counts per recorded group, packed in group order (a
    /// 512-bucket copy per connection put each of 10,000 copies on its own 4 KiB page; the TLB and cache misses cost
    /// more than the rest of the period's work).</summary>
    private void MeasureLatency(LatencyHistogram latency, ref ConnectionSlot state)
    {
        ulong groups = latency.ActiveGroups;
        if ((groups & ~state.LatencyGroups) != 0)
        {
            Regroup(ref state, groups | state.LatencyGroups);
        }

        groups = state.LatencyGroups;
        var before = state.Latency!;
        var window = _connectionWindow;
        Span<long> now = stackalloc long[LatencyHistogram.GroupSize];
        long total = 0;
        int at = 0;
        for (ulong g = groups; g != 0; g &= g - 1, at += LatencyHistogram.GroupSize)
        {
            int group = BitOperations.TrailingZeroCount(g);
            int first = group * LatencyHistogram.GroupSize;
            latency.ReadGroup(group, now);
            for (int i = 0; i < now.Length; i++)
            {
                long delta = Math.Max(0, now[i] - before[at + i]);
                window[first + i] = delta;
                before[at + i] = now[i];
                total += delta;
            }
        }

        state.LatencyMeasured = true;
        (state.P50, state.P99, state.P999) = Percentiles(window, groups, total);
    }

    /// <summary>Re-lays the slot's remembered counts for a larger set of groups (groups are only ever added: the
    /// histogram is cumulative); a new group's counts start at 0.</summary>
    private static void Regroup(ref ConnectionSlot state, ulong groups)
    {
        var grown = new long[BitOperations.PopCount(groups) * LatencyHistogram.GroupSize];
        var old = state.Latency;
        int from = 0;
        for (ulong g = state.LatencyGroups; g != 0 && old is not null; g &= g - 1, from += LatencyHistogram.GroupSize)
        {
            int group = BitOperations.TrailingZeroCount(g);
            int to = BitOperations.PopCount(groups & ((1UL << group) - 1)) * LatencyHistogram.GroupSize;
            Array.Copy(old, from, grown, to, LatencyHistogram.GroupSize);
        }

        state.Latency = grown;
        state.LatencyGroups = groups;
    }

    /// <summary>p50, p99 and p999 of a window whose counts lie in <paramref name="groups"/>, in one pass; the same
    /// ranks as <see cref="LatencyHistogram.Percentile"/> (rank = ceil(q x total), at least 1).</summary>
    private static (uint P50, uint P99, uint P999) Percentiles(long[] window, ulong groups, long total)
    {
        if (total == 0)
        {
            return (0, 0, 0);
        }

        long r50 = Math.Max(1, (long)Math.Ceiling(0.50 * total));
        long r99 = Math.Max(1, (long)Math.Ceiling(0.99 * total));
        long r999 = Math.Max(1, (long)Math.Ceiling(0.999 * total));
        uint p50 = 0, p99 = 0, p999 = 0;
        long seen = 0;
        for (ulong g = groups; g != 0; g &= g - 1)
        {
            int first = BitOperations.TrailingZeroCount(g) * LatencyHistogram.GroupSize;
            for (int b = first; b < first + LatencyHistogram.GroupSize; b++)
            {
                long before = seen;
                seen += window[b];
                if (before < r50 && seen >= r50)
                {
                    p50 = Saturate(LatencyHistogram.ValueOf(b));
                }

                if (before < r99 && seen >= r99)
                {
                    p99 = Saturate(LatencyHistogram.ValueOf(b));
                }

                if (before < r999 && seen >= r999)
                {
                    p999 = Saturate(LatencyHistogram.ValueOf(b));
                    return (p50, p99, p999);
                }
            }
        }

        return (p50, p99, p999);
    }
}
