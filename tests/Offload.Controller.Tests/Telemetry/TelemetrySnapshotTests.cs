using System.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.Messages;
using Offload.Controller.Telemetry;

namespace Offload.Controller.Tests.Telemetry;

public class TelemetrySnapshotTests
{
    [Fact]
    public void FromMessages_TwoFlowsOfOneApp_RatesSummedLevelsMaxed()
    {
        var batch = new FlowMetadataBatch { PeriodNanos = 10_000_000 };
        batch.Flows.Add(new FlowRecord { FlowId = 1, Application = new AppId(7), ReadRateWindow = 100, WriteRateWindow = 10, LatencyP99Nanos = 5, BitRate = 8 * ((10 * 8192) + (110 * 72)) });
        batch.Flows.Add(new FlowRecord { FlowId = 2, Application = new AppId(7), ReadRateWindow = 50, LatencyP99Nanos = 9, BitRate = 8 * 50 * 72 });
        var occupancy = new QueueOccupancy();
        occupancy.Entries.Add(new QueueOccupancyEntry { Application = new AppId(7), SqDepth = 3, SqAverage = 2, SqLevel = OccupancyLevel.Medium, CqLevel = OccupancyLevel.Low });
        occupancy.Entries.Add(new QueueOccupancyEntry { Application = new AppId(7), SqDepth = 4, SqAverage = 1, SqLevel = OccupancyLevel.High, CqLevel = OccupancyLevel.Medium });
        var s = TelemetrySnapshot.FromMessages(batch, occupancy);
        Assert.True(s.TryGet(new AppId(7), out var a));
        Assert.Equal(150, a.ReadRate, 3);
        Assert.Equal(10, a.WriteRate, 3);
        Assert.Equal(9u, a.LatencyP99Nanos);
        Assert.Equal(7u, a.SqDepth);
        Assert.Equal(3, a.SqAverage, 3);
        Assert.Equal(OccupancyLevel.High, a.SqLevel);
        Assert.Equal(OccupancyLevel.Medium, a.CqLevel);
        Assert.Equal(8192, a.WriteSize, 0);
    }

    [Fact]
    public void FromMessages_ApplicationAndItsConnectionRecords_OnlyTheApplicationRecordCounted()
    {
        var batch = new FlowMetadataBatch { PeriodNanos = 10_000_000 };
        batch.Flows.Add(new FlowRecord { FlowId = 7, Application = new AppId(7), ReadRateWindow = 150, WriteRateWindow = 10, LatencyP99Nanos = 9, SqDepth = 4 });
        batch.Flows.Add(new FlowRecord { FlowId = FlowRecord.ConnectionFlowIdBit | 1, Application = new AppId(7), Kind = FlowRecordKind.Connection, ReadRateWindow = 100, WriteRateWindow = 10, LatencyP99Nanos = 50, SqDepth = 3 });
        batch.Flows.Add(new FlowRecord { FlowId = FlowRecord.ConnectionFlowIdBit | 2, Application = new AppId(7), Kind = FlowRecordKind.Connection, ReadRateWindow = 50, SqDepth = 1 });
        batch.Flows.Add(new FlowRecord { FlowId = FlowRecord.ConnectionFlowIdBit | 3, Application = new AppId(8), Kind = FlowRecordKind.Connection, ReadRateWindow = 1000 });

        var s = TelemetrySnapshot.FromMessages(batch, null);

        Assert.True(s.TryGet(new AppId(7), out var a));
        Assert.Equal((150.0, 10.0, 9u, 4u), (a.ReadRate, a.WriteRate, a.LatencyP99Nanos, a.SqDepth));
        Assert.False(s.TryGet(new AppId(8), out _));
    }

    [Fact]
    public void FromMessages_CompletedBytesCarried_ReadAndWriteSizesFromThem()
    {
        var batch = new FlowMetadataBatch { PeriodNanos = 10_000_000 };
        batch.Flows.Add(new FlowRecord { FlowId = 5, Application = new AppId(5), ReadRateWindow = 100, WriteRateWindow = 10, ReadBytesRate = 100 * 65536, WriteBytesRate = 10 * 16384, BitRate = 1 });

        var s = TelemetrySnapshot.FromMessages(batch, null);

        Assert.True(s.TryGet(new AppId(5), out var a));
        Assert.Equal((65536.0, 16384.0), (a.ReadSize, a.WriteSize));
    }

    [Fact]
    public void FromMessages_AfterCodecRoundTrip_SameSnapshot()
    {
        var batch = new FlowMetadataBatch { PeriodNanos = 10_000_000, TimestampUnixNanos = 1 };
        batch.Flows.Add(new FlowRecord { FlowId = 1, Application = new AppId(3), ReadRateWindow = 1234, SqAverage = 4, SqLevel = OccupancyLevel.High });
        var decoded = (FlowMetadataBatch)MessageCodec.Decode(MessageType.FlowMetadataBatch, new ReadOnlySequence<byte>(MessageCodec.Encode(batch)))!;
        var s = TelemetrySnapshot.FromMessages(decoded, null);
        Assert.True(s.TryGet(new AppId(3), out var a));
        Assert.Equal(1234, a.ReadRate, 3);
        Assert.Equal(OccupancyLevel.High, a.SqLevel);
        Assert.Equal(4, a.SqAverage, 3);
    }

    [Fact]
    public void FromMessages_Nothing_Empty()
    {
        Assert.Empty(TelemetrySnapshot.FromMessages(null, null).Applications);
    }
}
