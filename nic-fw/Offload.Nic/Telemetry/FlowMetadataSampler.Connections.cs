using Offload.Contracts.Messages;
using Offload.Nic.Nvme.Scheduler;
using WireLevel = Offload.Contracts.Messages.OccupancyLevel;

namespace Offload.Nic.Telemetry;

/// <summary>
/// Per-connection flow records: one <see cref="FlowRecordKind.Connection"/> record per live NVMe/TCP I/O connection
/// (queue pair), FlowId = <see cref="FlowRecord.ConnectionFlowIdBit"/> | the connection's process-unique id, Source =
/// the host's address and port, Destination = the NIC's listener, protocol 6 (TCP), Application = its application, the
/// same rates as the application records plus this queue pair's SQ/CQ occupancy. Latency percentiles of a connection
/// are computed over <see cref="ConnectionLatencyEvery"/> periods (100 ms at the default 10 ms period; staggered by
/// connection id; a connection's first percentiles as soon as it has completions) and held in between: reading a 512-bucket histogram per connection every period would dominate the cost at 10,000
/// connections. The application records already include every connection (and ones closed during the window);
/// consumers aggregate one kind, never both. Records beyond <see cref="FlowMetadataBatch.MaxFlows"/> go in
/// continuation batches (<see cref="TryNextPart"/>).
/// </summary>
internal sealed partial class FlowMetadataSampler
{
    /// <summary>Periods per connection latency window.</summary>
    internal const int ConnectionLatencyEvery = 10;

    private const byte Tcp = 6;

    private readonly List<ConnectionCountersSnapshot> _connectionScratch = [];
    private readonly Dictionary<long, ConnectionState> _connectionStates = [];
    private readonly List<long> _goneConnections = [];
    private readonly List<FlowRecord> _pending = [];
    private readonly FlowMetadataBatch _partMessage = new();
    private readonly long[] _connectionWindow = new long[LatencyHistogram.BucketCount];
    private int _pendingNext;
    private int _part;
    private long _sampleNumber;

    /// <summary>Connection records of this period not in <see cref="Message"/> (too many for one batch).</summary>
    public int PendingConnections => _pending.Count - _pendingNext;

    /// <summary>Fills the next continuation batch of this period (Part 1, 2, ...) with connection records that did
    /// not fit in <see cref="Message"/>; false when there are none left.</summary>
    public bool TryNextPart(out FlowMetadataBatch part)
    {
        part = _partMessage;
        if (_pendingNext >= _pending.Count)
        {
            return false;
        }

        _partMessage.Flows.Clear();
        _partMessage.Applications.Clear();
        _partMessage.TimestampUnixNanos = _message.TimestampUnixNanos;
        _partMessage.PeriodNanos = _message.PeriodNanos;
        _partMessage.Totals = _message.Totals;
        _partMessage.Part = ++_part;
        int end = Math.Min(_pending.Count, _pendingNext + FlowMetadataBatch.MaxFlows);
        for (; _pendingNext < end; _pendingNext++)
        {
            _partMessage.Flows.Add(_pending[_pendingNext]);
        }

        return true;
    }

    private void AddConnections(double seconds)
    {
        _pending.Clear();
        _pendingNext = 0;
        _part = 0;
        _message.Part = 0;
        if (_connections is null)
        {
            return;
        }

        _sampleNumber++;
        _connectionScratch.Clear();
        _connections.CollectConnectionCounters(_connectionScratch);
        var flows = _message.Flows;
        foreach (var snapshot in _connectionScratch)
        {
            var c = snapshot.Counters;
            if (!_connectionStates.TryGetValue(c.Id, out var state))
            {
                state = new ConnectionState { Application = Apps.GetOrAdd(snapshot.App) };
                _connectionStates.Add(c.Id, state);
            }

            state.Seen = _sampleNumber;
            var record = Measure(snapshot, state, seconds);
            if (flows.Count < FlowMetadataBatch.MaxFlows)
            {
                flows.Add(record);
            }
            else
            {
                _pending.Add(record);
            }
        }

        if (_connectionStates.Count > _connectionScratch.Count)
        {
            _goneConnections.Clear();
            foreach (var pair in _connectionStates)
            {
                if (pair.Value.Seen != _sampleNumber)
                {
                    _goneConnections.Add(pair.Key);
                }
            }

            foreach (long id in _goneConnections)
            {
                _connectionStates.Remove(id);
            }
        }
    }

    private FlowRecord Measure(in ConnectionCountersSnapshot snapshot, ConnectionState state, double seconds)
    {
        var c = snapshot.Counters;
        long reads = c.ReadCommands, writes = c.WriteCommands, bytesRead = c.BytesRead, bytesWritten = c.BytesWritten;
        long cpu = c.CpuNanoseconds, pdus = c.Pdus;
        float readRate = (float)(Math.Max(0, reads - state.ReadCommands) / seconds);
        float writeRate = (float)(Math.Max(0, writes - state.WriteCommands) / seconds);
        float requests = readRate + writeRate;
        float writeBytesRate = (float)(Math.Max(0, bytesWritten - state.BytesWritten) / seconds);
        var record = new FlowRecord
        {
            FlowId = FlowRecord.ConnectionFlowIdBit | (ulong)c.Id,
            Application = state.Application,
            Source = c.Remote,
            Destination = c.Local,
            SourcePort = c.RemotePort,
            DestinationPort = c.LocalPort,
            Protocol = Tcp,
            Kind = FlowRecordKind.Connection,
            ReadRateWindow = readRate,
            WriteRateWindow = writeRate,
            ReadWriteRatio = requests > 0 ? readRate / requests : 1f,
            ReadBytesRate = (float)(Math.Max(0, bytesRead - state.BytesRead) / seconds),
            WriteBytesRate = writeBytesRate,
            BitRate = (float)((writeBytesRate * 8) + (requests * CapsuleSize * 8)),
            SharedMemorySize = (ulong)Math.Max(0, bytesWritten),
            CpuNanosPerSecond = (ulong)(Math.Max(0, cpu - state.CpuNanoseconds) / seconds),
            PacketRate = (float)(Math.Max(0, pdus - state.Pdus) / seconds),
            SqDepth = (uint)Math.Max(0, snapshot.Submission.Depth),
            SqAverage = (float)snapshot.Submission.AverageDepth,
            SqLevel = (WireLevel)snapshot.Submission.Level,
            CqDepth = (uint)Math.Max(0, snapshot.Completion.Depth),
            CqAverage = (float)snapshot.Completion.AverageDepth,
            CqLevel = (WireLevel)snapshot.Completion.Level,
        };

        if (!state.HasEwma)
        {
            state.ReadEwma = readRate;
            state.WriteEwma = writeRate;
            state.HasEwma = true;
        }

        state.ReadEwma += Alpha * (readRate - state.ReadEwma);
        state.WriteEwma += Alpha * (writeRate - state.WriteEwma);
        record.ReadRate = (float)state.ReadEwma;
        record.WriteRate = (float)state.WriteEwma;
        // Staggered by id so 10,000 connections spread their histogram reads over the periods; a connection with
        // no percentiles yet takes its first as soon as it has completions.
        long done = reads + writes;
        bool due = (_sampleNumber + c.Id) % ConnectionLatencyEvery == 0 || !state.LatencyMeasured;
        if (due && done != state.CompletedAtLatency)
        {
            MeasureLatency(c.Latency, state);
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
        return record;
    }

    /// <summary>Percentiles of the completions since the connection's previous latency window (none: held at 0).</summary>
    private void MeasureLatency(LatencyHistogram latency, ConnectionState state)
    {
        latency.Snapshot(_snapshot);
        var before = state.Latency;
        for (int b = 0; b < _connectionWindow.Length; b++)
        {
            _connectionWindow[b] = Math.Max(0, _snapshot[b] - before[b]);
        }

        _snapshot.CopyTo(before, 0);
        state.LatencyMeasured = true;
        state.P50 = Saturate(LatencyHistogram.Percentile(_connectionWindow, 0.50));
        state.P99 = Saturate(LatencyHistogram.Percentile(_connectionWindow, 0.99));
        state.P999 = Saturate(LatencyHistogram.Percentile(_connectionWindow, 0.999));
    }

    /// <summary>What the sampler remembers of one connection between periods (one object for its life).</summary>
    private sealed class ConnectionState
    {
        public long Seen;
        public long ReadCommands;
        public long WriteCommands;
        public long BytesRead;
        public long BytesWritten;
        public long CpuNanoseconds;
        public long Pdus;
        public double ReadEwma;
        public double WriteEwma;
        public bool HasEwma;
        public bool LatencyMeasured;
        public long CompletedAtLatency;
        public Offload.Contracts.Ids.AppId Application;
        public uint P50;
        public uint P99;
        public uint P999;
        public readonly long[] Latency = new long[LatencyHistogram.BucketCount];
    }
}
