using System.Buffers;
using System.Net;
using Offload.Contracts.Buffers;
using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;

namespace Offload.Contracts.Tests.Messages;

public sealed class MessageRoundTripTests
{
    internal static FlowRecord SampleFlow(int i) => new()
    {
        FlowId = (ulong)i * 7919,
        Application = new AppId((uint)(i % 17) + 1),
        Source = i % 2 == 0 ? FlowAddress.FromIPAddress(IPAddress.Parse("10.0.0.1")) : FlowAddress.FromIPAddress(IPAddress.Parse("fd00::1")),
        Destination = FlowAddress.FromIPAddress(IPAddress.Parse("10.0.0.2")),
        SourcePort = (ushort)(40000 + i),
        DestinationPort = 4420,
        Protocol = 6,
        ReadRate = 1000.5f + i,
        WriteRate = 250.25f,
        ReadRateWindow = 990f,
        WriteRateWindow = 260f,
        ReadWriteRatio = 0.8f,
        SharedMemorySize = 1UL << 32,
        CpuNanosPerSecond = 1_500_000,
        PacketRate = 12000f,
        BitRate = 9.6e8f,
        SqDepth = 12,
        SqAverage = 10.5f,
        SqLevel = OccupancyLevel.Medium,
        CqDepth = 3,
        CqAverage = 2.25f,
        CqLevel = OccupancyLevel.Low,
        LatencyP50Nanos = 11_000,
        LatencyP99Nanos = 40_000,
        LatencyP999Nanos = 90_000,
        Kind = i % 2 == 0 ? FlowRecordKind.Connection : FlowRecordKind.Application,
        ReadBytesRate = 4096f * (990 + i),
        WriteBytesRate = 8192f * 260,
    };

    private static T RoundTrip<T>(T message, DecodeStatistics? stats = null)
        where T : IMailboxMessage
    {
        var bytes = MessageCodec.Encode(message);
        var decoded = MessageCodec.Decode(message.Type, new ReadOnlySequence<byte>(bytes), stats: stats);
        return Assert.IsType<T>(decoded);
    }

    [Fact]
    public void Hello_RoundTrip_AllFieldsEqual()
    {
        var m = RoundTrip(new Hello { BoardId = "bf3-a", FirmwareVersion = "2.0.1", MinProtocolVersion = 1, MaxProtocolVersion = 4, Capabilities = ["nvme-tcp", "ecn"] });
        Assert.Equal(("bf3-a", "2.0.1", (ushort)1, (ushort)4), (m.BoardId, m.FirmwareVersion, m.MinProtocolVersion, m.MaxProtocolVersion));
        Assert.Equal(["nvme-tcp", "ecn"], m.Capabilities);
    }

    [Fact]
    public void HelloAck_Heartbeat_Ack_Error_RoundTrip()
    {
        var ack = RoundTrip(new HelloAck { HostId = "h", SoftwareVersion = "v", ProtocolVersion = 3, Capabilities = ["x"] });
        Assert.Equal(3, ack.ProtocolVersion);
        var hb = RoundTrip(new Heartbeat { Nonce = ulong.MaxValue, SentAtTicks = long.MinValue, IsEcho = true });
        Assert.Equal((ulong.MaxValue, long.MinValue, true), (hb.Nonce, hb.SentAtTicks, hb.IsEcho));
        Assert.Equal(99ul, RoundTrip(new Ack { AckedSequence = 99, Epoch = 4 }).AckedSequence);
        var err = RoundTrip(new ErrorMessage { Code = ErrorCode.Incompatible, Message = "no common version", RelatedSequence = 5 });
        Assert.Equal((ErrorCode.Incompatible, "no common version", 5ul), (err.Code, err.Message, err.RelatedSequence));
    }

    [Fact]
    public void FlowMetadataBatch_RoundTrip_EveryFieldEqual()
    {
        var batch = new FlowMetadataBatch { TimestampUnixNanos = 1_700_000_000_000_000_000, PeriodNanos = 10_000_000 };
        for (int i = 0; i < 50; i++)
        {
            batch.Flows.Add(SampleFlow(i));
        }

        batch.Totals = new NodeTotals { SqDepth = 5, SqCapacity = 1024, CqDepth = 2, CqCapacity = 1024, PacketRate = 1e6f, CpuNanosPerSecond = 2, MemoryUsedSize = 3, MemorySize = 4 };
        var back = RoundTrip(batch);
        Assert.Equal(batch.TimestampUnixNanos, back.TimestampUnixNanos);
        Assert.Equal(batch.PeriodNanos, back.PeriodNanos);
        Assert.Equal(batch.Flows, back.Flows);
        Assert.Equal(batch.Totals, back.Totals);
        Assert.Equal("fd00::1", back.Flows[1].Source.ToString());
        Assert.Equal("10.0.0.1", back.Flows[0].Source.ToString());
    }

    [Fact]
    public void QueueOccupancy_RateUpdate_AllocationUpdate_RoundTrip()
    {
        var occ = new QueueOccupancy { TimestampUnixNanos = 5, Trigger = OccupancyTrigger.Threshold };
        occ.Entries.Add(new QueueOccupancyEntry { Application = new AppId(3), Queue = new QueueId(2), SqDepth = 100, SqSize = 128, SqAverage = 90.5f, SqLevel = OccupancyLevel.High, CqDepth = 1, CqSize = 128, CqAverage = 0.5f, CqLevel = OccupancyLevel.Low });
        var occBack = RoundTrip(occ);
        Assert.Equal(occ.Entries, occBack.Entries);
        Assert.Equal(OccupancyTrigger.Threshold, occBack.Trigger);

        var rate = new RateUpdate { Epoch = 17, IsFull = true };
        rate.Entries.Add(new RateEntry { Application = new AppId(3), IopsLimit = 1, BytesPerSecondLimit = 4096, Congested = true, AdvertisedRate = 1, CeilingIops = 4000, BurstMicros = 50_000 });
        var rateBack = RoundTrip(rate);
        Assert.Equal(rate.Entries, rateBack.Entries);
        Assert.True(rateBack.IsFull);

        var alloc = new AllocationUpdate { Epoch = 18 };
        alloc.Entries.Add(new AllocationEntry { Application = new AppId(3), IoQueueCount = 4, DequeueWeight = 2, DequeueFrequencyHz = 1000, MeterRateBitsPerSecond = 1_000_000_000, TransmitBudgetSize = 65536, PriorityHint = 1 });
        Assert.Equal(alloc.Entries, RoundTrip(alloc).Entries);
    }

    [Fact]
    public void FlowMissInstallRemove_RoundTrip()
    {
        var miss = RoundTrip(new FlowMiss { UpcallId = 9, InPort = 2, Key = new byte[] { 1, 2, 3 }, PacketHead = new byte[64], Reason = FlowMiss.ReasonAction, UserData = 0xFFFF_FFFF });
        Assert.Equal(new byte[] { 1, 2, 3 }, miss.Key.ToArray());
        Assert.True(miss.IsAction);
        Assert.Equal(0xFFFF_FFFFUL, miss.UserData);
        Assert.Equal(64, miss.PacketHead.Length);
        var install = RoundTrip(new FlowInstall
        {
            UpcallId = 9, Match = new byte[] { 1 }, Mask = new byte[] { 0xFF }, Priority = 100,
            Actions = [new FlowAction(FlowActionKind.SetDscp, 46), new FlowAction(FlowActionKind.Output, 3)],
            IdleTimeoutMs = 10_000, HardTimeoutMs = 60_000, Cookie = 0xABCDEF,
        });
        Assert.Equal([new FlowAction(FlowActionKind.SetDscp, 46), new FlowAction(FlowActionKind.Output, 3)], install.Actions);
        Assert.Equal((100, 10_000u, 60_000u, 0xABCDEFul), (install.Priority, install.IdleTimeoutMs, install.HardTimeoutMs, install.Cookie));
        var remove = RoundTrip(new FlowRemove { Match = new byte[] { 1 }, Mask = new byte[] { 2 }, Priority = 5, Cookie = 6, Strict = true });
        Assert.True(remove.Strict);
        Assert.Equal(6ul, remove.Cookie);
    }

    [Fact]
    public void Decode_UnknownKeysAndTrailingFields_SkippedAndCounted()
    {
        using var buffer = new PooledBufferWriter();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(4);
        w.Write(0);
        w.Write(77UL);
        w.Write(99);                 // unknown int key with a nested value
        w.WriteArrayHeader(2);
        w.Write("future");
        w.WriteMapHeader(0);
        w.Write("text-key");         // unknown non-integer key
        w.Write(true);
        w.Write(1);
        w.Write(8UL);
        w.Flush();
        var stats = new DecodeStatistics();
        var ack = Assert.IsType<Ack>(MessageCodec.Decode(MessageType.Ack, new ReadOnlySequence<byte>(buffer.WrittenMemory), stats: stats));
        Assert.Equal((77ul, 8ul), (ack.AckedSequence, ack.Epoch));
        Assert.Equal(2, stats.UnknownKeys);

        buffer.Reset();
        w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(RateEntry.FieldCount + 2);
        w.Write(5u);
        w.Write(100UL);
        w.Write(200UL);
        w.Write(false);
        w.Write(0UL);
        w.Write(3000UL);
        w.Write(50_000u);
        w.Write("a field from a newer peer");
        w.WriteNil();
        w.Flush();
        var reader = new MessagePackReader(new ReadOnlySequence<byte>(buffer.WrittenMemory));
        RateEntry.Read(ref reader, out var entry, stats);
        Assert.Equal((100ul, 3000ul, 50_000u), (entry.IopsLimit, entry.CeilingIops, entry.BurstMicros));
        Assert.True(reader.End);
        Assert.Equal(3, stats.UnknownKeys);
    }

    [Fact]
    public void FlowRecordRead_NilMidRecordAndExtraFields_AbsentFieldZeroRestReadExtraCounted()
    {
        using var buffer = new PooledBufferWriter();
        var w = new MessagePackWriter(buffer);
        w.WriteArrayHeader(FlowRecord.FieldCount + 1);
        w.Write(1UL);                         // 0 flow id
        w.Write(2u);                          // 1 app
        w.Write(new byte[] { 10, 0, 0, 1 });  // 2 src
        w.Write(new byte[] { 10, 0, 0, 2 });  // 3 dst
        w.Write(1234);                        // 4 src port
        w.WriteNil();                         // 5 dst port: absent
        w.Write(6);                           // 6 protocol
        w.Write(1.5);                         // 7 read rate as float64: the general path narrows it
        for (int key = 8; key < FlowRecord.FieldCount; key++)
        {
            w.Write(key == 18 || key == 21 ? 2 : key == 25 ? 1 : key);
        }

        w.Write("field from a newer peer");
        w.Flush();
        var stats = new DecodeStatistics();
        var reader = new MessagePackReader(new ReadOnlySequence<byte>(buffer.WrittenMemory));
        FlowRecord.Read(ref reader, out var r, stats);
        Assert.True(reader.End);
        Assert.Equal((1ul, 2u, "10.0.0.1", (ushort)1234, (ushort)0, (byte)6, 1.5f), (r.FlowId, r.Application.Value, r.Source.ToString(), r.SourcePort, r.DestinationPort, r.Protocol, r.ReadRate));
        Assert.Equal(OccupancyLevel.High, r.SqLevel);
        Assert.Equal(24u, r.LatencyP999Nanos);
        Assert.Equal((FlowRecordKind.Connection, 26f, 27f), (r.Kind, r.ReadBytesRate, r.WriteBytesRate));
        Assert.Equal(1, stats.UnknownKeys);
    }

    [Fact]
    public void FlowRecordRead_LevelOutOfRange_TypedErrorNamesTheLevel()
    {
        using var buffer = new PooledBufferWriter();
        var w = new MessagePackWriter(buffer);
        var flow = SampleFlow(1);
        flow.SqLevel = (OccupancyLevel)7;
        flow.Write(ref w);
        w.Flush();
        var reader = new MessagePackReader(new ReadOnlySequence<byte>(buffer.WrittenMemory));
        try
        {
            FlowRecord.Read(ref reader, out _);
            Assert.Fail("an occupancy level of 7 was accepted");
        }
        catch (MessagePackSerializationException ex)
        {
            Assert.Contains("occupancy level 7", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Decode_UnknownType_ReturnsNullAndCounts()
    {
        var stats = new DecodeStatistics();
        Assert.Null(MessageCodec.Decode((MessageType)4242, new ReadOnlySequence<byte>(new byte[] { 0x80 }), stats: stats));
        Assert.Equal(1, stats.UnknownMessageTypes);
    }

    [Fact]
    public void Decode_FieldOverCap_RejectedWithOffset()
    {
        using var buffer = new PooledBufferWriter();
        var w = new MessagePackWriter(buffer);
        w.WriteMapHeader(1);
        w.Write(2);
        w.Write(new byte[FlowMiss.MaxKeySize + 1]);
        w.Flush();
        var ex = Assert.Throws<MessagePackSerializationException>(() => MessageCodec.Decode(MessageType.FlowMiss, new ReadOnlySequence<byte>(buffer.WrittenMemory)));
        Assert.Equal(2, ex.Offset);
        Assert.Contains("flow key", ex.Message, StringComparison.Ordinal);
    }
}
