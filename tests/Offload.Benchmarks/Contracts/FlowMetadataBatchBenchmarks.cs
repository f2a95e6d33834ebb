using System.Buffers;
using System.Net;
using BenchmarkDotNet.Attributes;
using Offload.Contracts.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Benchmarks.Contracts;

/// <summary>
/// Encodes and decodes a <see cref="FlowMetadataBatch"/> of 1,000 flows (28 fields each), the shape the NIC ships
/// every report period. Encode goes into a reused <see cref="PooledBufferWriter"/> and must allocate 0 bytes; decode
/// refills a reused batch. Divide the mean by <see cref="Flows"/> for ns per flow record.
/// </summary>
[MemoryDiagnoser]
public class FlowMetadataBatchBenchmarks
{
    public const int Flows = 1000;

    private readonly FlowMetadataBatch _batch = new() { TimestampUnixNanos = 1_700_000_000_000_000_000, PeriodNanos = 10_000_000 };
    private readonly FlowMetadataBatch _decoded = new();
    private readonly PooledBufferWriter _buffer = new(256 * 1024);
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        var v4 = FlowAddress.FromIPAddress(IPAddress.Parse("192.168.10.1"));
        var v4b = FlowAddress.FromIPAddress(IPAddress.Parse("192.168.10.2"));
        for (int i = 0; i < Flows; i++)
        {
            _batch.Flows.Add(new FlowRecord
            {
                FlowId = (ulong)i * 2654435761,
                Application = new AppId((uint)(i % 64) + 1),
                Source = v4,
                Destination = v4b,
                SourcePort = (ushort)(32768 + i),
                DestinationPort = 4420,
                Protocol = 6,
                ReadRate = 1200.5f + i,
                WriteRate = 300.25f,
                ReadRateWindow = 1190f,
                WriteRateWindow = 310f,
                ReadWriteRatio = 0.8f,
                SharedMemorySize = (ulong)i << 20,
                CpuNanosPerSecond = 1_500_000 + (ulong)i,
                PacketRate = 15000f,
                BitRate = 1.2e9f,
                SqDepth = (uint)(i % 128),
                SqAverage = 40.5f,
                SqLevel = OccupancyLevel.Medium,
                CqDepth = (uint)(i % 7),
                CqAverage = 2.5f,
                CqLevel = OccupancyLevel.Low,
                LatencyP50Nanos = 12_000,
                LatencyP99Nanos = 48_000,
                LatencyP999Nanos = 95_000,
            });
        }

        Encode();
        _encoded = _buffer.WrittenSpan.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _buffer.Dispose();

    /// <summary>
    /// Same-run baseline: System.Text.Json (in the box) writing the same 1,000 records into the same pooled buffer.
    /// A ratio against it survives this shared, noisy machine better than an absolute figure.
    /// </summary>
    [Benchmark(Baseline = true)]
    public int EncodeSystemTextJson()
    {
        _buffer.Reset();
        using var json = new System.Text.Json.Utf8JsonWriter(_buffer);
        System.Text.Json.JsonSerializer.Serialize(json, _batch.Flows);
        return _buffer.WrittenCount;
    }

    /// <summary>Payload only, as the codec sees it.</summary>
    [Benchmark]
    public int Encode()
    {
        _buffer.Reset();
        var writer = new MessagePackWriter(_buffer);
        _batch.Write(ref writer);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    /// <summary>A whole mailbox frame: header, payload and CRC-32C.</summary>
    [Benchmark]
    public int EncodeFrame()
    {
        _buffer.Reset();
        return FrameWriter.Write(_buffer, new MessageHeader(1, MessageType.FlowMetadataBatch, 0, 1), _batch);
    }

    [Benchmark]
    public int Decode()
    {
        var reader = new MessagePackReader(new ReadOnlySequence<byte>(_encoded));
        FlowMetadataBatch.ReadInto(ref reader, _decoded);
        return _decoded.Flows.Count;
    }
}
