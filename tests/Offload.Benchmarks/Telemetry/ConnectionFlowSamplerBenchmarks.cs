using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Offload.Contracts.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Nic.Nvme.Scheduler;
using Offload.Nic.Nvme.Subsystem;
using Offload.Nic.Telemetry;
using QueueOccupancy = Offload.Nic.Nvme.Scheduler.QueueOccupancy;

namespace Offload.Benchmarks.Telemetry;

/// <summary>
/// One report period of per-connection flow metadata at 10,000 live NVMe/TCP connections (issue 5: "at least 10,000
/// flows at 100 reports/s within 5% of one core"): the sampler reads every connection's counters, builds 10,000
/// connection records (+ 1 application record), splits them into a full batch and a continuation part, and both are
/// framed (header + payload + CRC-32C) into a pooled buffer. Mean × 100 reports/s = share of one core. Same-run
/// baseline: framing the same number of already-built records (the wire cost alone).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class ConnectionFlowSamplerBenchmarks
{
    public const int Connections = 10_000;

    private static readonly AppId App = new("nqn.2014-08.org.nvmexpress:uuid:bench", Guid.Parse("00000000-0000-0000-0000-0000000000bb"));
    private readonly ConnectionCounters[] _connections = new ConnectionCounters[Connections];
    private readonly PooledBufferWriter _buffer = new(2 * 1024 * 1024);
    private readonly FlowMetadataBatch _prebuilt = new();
    private readonly FlowMetadataBatch _prebuiltPart = new() { Part = 1 };
    private readonly CounterLine[] _lines = new CounterLine[Connections];
    private readonly LineState[] _lineStates = new LineState[Connections];
    private readonly byte[] _boundPacked = new byte[Connections * PackedFlowRecord.Size];
    private readonly FlowMetadataBatch _boundFirst = new();
    private readonly FlowMetadataBatch _boundPart = new() { Part = 1 };
    private readonly QueueOccupancy[] _submission = new QueueOccupancy[Connections];
    private readonly QueueOccupancy[] _completion = new QueueOccupancy[Connections];
    private int _activity;
    private Source _source = null!;
    private FlowMetadataSampler _sampler = null!;

    /// <summary>false: connection records as 28-field MessagePack arrays (key 2, the previous format); true: the fixed
    /// 132-byte layout in one bin (key 6).</summary>
    [Params(false, true)]
    public bool Packed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var slab = new TelemetrySlab(TimeProvider.System);
        for (int i = 0; i < Connections; i++)
        {
            _connections[i] = new ConnectionCounters(slab);
            _connections[i].SetEndpoints(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 4420), new IPEndPoint(IPAddress.Parse("10.0.1.2"), 20000 + i));
            _connections[i].Describe(App, new ControllerId(1), 1);
            _connections[i].CountRead(4096);
            _connections[i].Latency.Record(20_000 + i);
            _submission[i] = new QueueOccupancy(TimeProvider.System, _connections[i].Cell, completion: false, 128);
            _completion[i] = new QueueOccupancy(TimeProvider.System, _connections[i].Cell, completion: true, 128);
            _submission[i].Set(1 + (i % 32));
        }

        for (int i = 0; i < Connections; i++)
        {
            _lines[i].Id = i + 1;
        }

        _source = new Source(slab, _connections);
        _sampler = new FlowMetadataSampler(_source, new AppDirectory(), TimeProvider.System, connections: _source) { PackConnections = Packed };
        SampleAndFrame();

        // The baseline frames the previous format's records (built once by a second, unpacked sampler).
        var unpacked = new FlowMetadataSampler(_source, new AppDirectory(), TimeProvider.System, connections: _source) { PackConnections = false };
        unpacked.Sample(default);
        _prebuilt.Flows.AddRange(unpacked.Message.Flows);
        while (unpacked.TryNextPart(out var part))
        {
            _prebuiltPart.Flows.AddRange(part.Flows);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _buffer.Dispose();

    /// <summary>Framing 10,001 records already built as MessagePack arrays (the previous format's wire cost alone).</summary>
    [Benchmark(Baseline = true)]
    public int FrameOnly()
    {
        _buffer.Reset();
        int n = FrameWriter.Write(_buffer, new MessageHeader(1, MessageType.FlowMetadataBatch, 0, 1), _prebuilt);
        return n + FrameWriter.Write(_buffer, new MessageHeader(1, MessageType.FlowMetadataBatch, 0, 2), _prebuiltPart);
    }

    /// <summary>A whole period: read 10,000 connections' counters, build the records, frame every batch.</summary>
    [Benchmark]
    public int SampleAndFrame()
    {
        Activity();
        return SampleOnly();
    }

    /// <summary>SampleAndFrame without the simulated I/O (for a harness that times the two parts in place).</summary>
    public int SampleOnly()
    {
        _buffer.Reset();
        int n = FrameWriter.Write(_buffer, new MessageHeader(1, MessageType.FlowMetadataBatch, 0, 1), _sampler.Sample(default));
        while (_sampler.TryNextPart(out var part))
        {
            n += FrameWriter.Write(_buffer, new MessageHeader(1, MessageType.FlowMetadataBatch, 0, 2), part);
        }

        return n;
    }

    /// <summary>The simulated I/O alone (one read counted on each of 10,000 connections, and its SQ depth changed): part of SampleAndFrame's
    /// time that is not telemetry; subtract it.</summary>
    [Benchmark]
    public int Activity()
    {
        // Each connection completes a read and its SQ depth moves (a queue changes depth with every command).
        int step = ++_activity & 7;
        for (int i = 0; i < _connections.Length; i++)
        {
            _connections[i].CountRead(4096);
            _submission[i].Set(1 + ((i + step) % 32));
        }

        return _connections.Length;
    }

    /// <summary>
    /// Not product code: the layout bound (kept from before the slab, which is now the product layout). The same per-connection work as SampleAndFrame's packed path (the rates,
    /// the EWMAs, a 132-byte record per connection, two framed batches) over counters kept in one contiguous array of
    /// 64-byte lines, read in order, with the sampler's state in a parallel array -- what a per-poll-group counter
    /// slab (SPDK-style stats arrays) would cost, against the per-connection objects SampleAndFrame walks. No latency
    /// windows and no SQ/CQ occupancy reads (constant here), so it is a lower bound.
    /// </summary>
    [Benchmark]
    public int ContiguousLayoutBound()
    {
        var lines = _lines;
        for (int i = 0; i < lines.Length; i++)
        {
            Interlocked.Increment(ref lines[i].ReadCommands);
            Interlocked.Add(ref lines[i].BytesRead, 4096);
        }

        const float perSecond = 100f;
        var states = _lineStates;
        var packed = _boundPacked.AsSpan();
        for (int i = 0; i < lines.Length; i++)
        {
            ref var line = ref lines[i];
            ref var state = ref states[i];
            long reads = Volatile.Read(ref line.ReadCommands), writes = Volatile.Read(ref line.WriteCommands);
            long bytesRead = Volatile.Read(ref line.BytesRead), bytesWritten = Volatile.Read(ref line.BytesWritten);
            float readRate = (reads - state.ReadCommands) * perSecond, writeRate = (writes - state.WriteCommands) * perSecond;
            state.ReadEwma += 0.3f * (readRate - state.ReadEwma);
            state.WriteEwma += 0.3f * (writeRate - state.WriteEwma);
            var d = packed.Slice(i * PackedFlowRecord.Size, PackedFlowRecord.Size);
            BinaryPrimitives.WriteInt64LittleEndian(d, line.Id);
            BinaryPrimitives.WriteUInt32LittleEndian(d[8..], 1);
            d[12] = 6;
            BinaryPrimitives.WriteSingleLittleEndian(d[52..], state.ReadEwma);
            BinaryPrimitives.WriteSingleLittleEndian(d[56..], state.WriteEwma);
            BinaryPrimitives.WriteSingleLittleEndian(d[60..], readRate);
            BinaryPrimitives.WriteSingleLittleEndian(d[64..], writeRate);
            BinaryPrimitives.WriteSingleLittleEndian(d[68..], readRate + writeRate > 0 ? readRate / (readRate + writeRate) : 1f);
            BinaryPrimitives.WriteSingleLittleEndian(d[80..], (bytesRead - state.BytesRead) * perSecond);
            BinaryPrimitives.WriteSingleLittleEndian(d[84..], (bytesWritten - state.BytesWritten) * perSecond);
            BinaryPrimitives.WriteInt64LittleEndian(d[88..], bytesWritten);
            BinaryPrimitives.WriteUInt32LittleEndian(d[120..], state.P50);
            state.ReadCommands = reads;
            state.WriteCommands = writes;
            state.BytesRead = bytesRead;
            state.BytesWritten = bytesWritten;
        }

        const int first = 7168; // FlowMetadataSampler.MaxPackedPerBatch
        _boundFirst.PackedConnections = _boundPacked.AsMemory(0, first * PackedFlowRecord.Size);
        _boundPart.PackedConnections = _boundPacked.AsMemory(first * PackedFlowRecord.Size);
        _buffer.Reset();
        int n = FrameWriter.Write(_buffer, new MessageHeader(1, MessageType.FlowMetadataBatch, 0, 1), _boundFirst);
        return n + FrameWriter.Write(_buffer, new MessageHeader(1, MessageType.FlowMetadataBatch, 0, 2), _boundPart);
    }

    [StructLayout(LayoutKind.Sequential, Size = 64)]
    private struct CounterLine
    {
        public long Id;
        public long ReadCommands;
        public long WriteCommands;
        public long BytesRead;
        public long BytesWritten;
        public long CpuTicks;
        public long Pdus;
    }

    private struct LineState
    {
        public long ReadCommands;
        public long WriteCommands;
        public long BytesRead;
        public long BytesWritten;
        public float ReadEwma;
        public float WriteEwma;
        public uint P50;
    }

    /// <summary>The target's sources: its telemetry slab (the connections' lines: counters, SQ and CQ state) and
    /// the per-application counters.</summary>
    private sealed class Source(TelemetrySlab slab, ConnectionCounters[] connections) : IConnectionCounterSource, IApplicationCounterSource
    {
        public TelemetrySlab Telemetry => slab;

        public void CollectApplicationCounters(ICollection<ApplicationCounters> destination) =>
            destination.Add(new ApplicationCounters(App, new ControllerId(1), connections.Length, 0, connections.Length * 4096L, 0));
    }
}
