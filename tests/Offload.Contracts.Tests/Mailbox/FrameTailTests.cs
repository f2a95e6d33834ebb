using System.Buffers;
using Offload.Contracts.Buffers;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>
/// A message with a tail (the packed connection records of a flow metadata batch) is framed as head + tail + CRC with
/// the tail left in the sender's buffer: the bytes must be exactly those of the one-piece frame, whether the frame's
/// CRC reads the tail or combines the tail's register the sender computed.
/// </summary>
public sealed class FrameTailTests
{
    [Fact]
    public void Combine_AnySplit_SameAsOnePiece()
    {
        var random = new Random(11);
        var data = new byte[40_000];
        random.NextBytes(data);
        for (int round = 0; round < 200; round++)
        {
            int length = random.Next(0, data.Length);
            int cut = random.Next(0, length + 1);
            uint start = round % 2 == 0 ? 0xFFFFFFFFu : (uint)random.Next();
            uint whole = Crc32C.Append(start, data.AsSpan(0, length));
            uint a = Crc32C.Append(start, data.AsSpan(0, cut));
            uint b = Crc32C.Append(0, data.AsSpan(cut, length - cut));
            Assert.Equal(whole, Crc32C.Combine(a, b, length - cut));
            Assert.Equal(whole, Crc32C.Combine(a, b, Crc32C.LengthFactor(length - cut)));
        }
    }

    /// <summary>The table multiplier that joins the interleaved loop's lanes gives the bit-at-a-time product, for the
    /// lanes' shifts and other constants, on registers with every byte position exercised.</summary>
    [Fact]
    public void ConstantMultiplier_SameAsBitwiseMultiply()
    {
        var random = new Random(23);
        foreach (long bytes in new long[] { 0, 1, 512, 1024, 4096, 8192, 128 * PackedFlowRecord.Size, 1_000_003 })
        {
            uint constant = Crc32C.PowerOfX(8 * bytes);
            var multiplier = new Crc32C.ConstantMultiplier(constant);
            foreach (uint register in new uint[] { 0, 1, 0x80000000u, 0xFFFFFFFFu, 0xFF, 0xFF00, 0xFF0000, 0xFF000000u })
            {
                Assert.Equal(Crc32C.Multiply(register, constant), multiplier.Multiply(register));
            }

            for (int i = 0; i < 1000; i++)
            {
                uint register = (uint)random.NextInt64(0, 1L << 32);
                Assert.Equal(Crc32C.Multiply(register, constant), multiplier.Multiply(register));
            }
        }
    }

    /// <summary>The short three-lane loop (3 x 512 bytes) takes inputs under 12 KiB: lengths around its stride, and a
    /// 128-record block with and without the long loop before it, give the byte-at-a-time register.</summary>
    [Theory]
    [InlineData(1535)]
    [InlineData(1536)]
    [InlineData(1537)]
    [InlineData(3079)]
    [InlineData(12287)]
    [InlineData(128 * PackedFlowRecord.Size)]
    [InlineData((3 * 4096) + 1536 + 5)]
    public void Append_ShortLanes_SameAsBytewise(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        uint expected = 0x12345678u;
        foreach (byte b in data)
        {
            expected = System.Numerics.BitOperations.Crc32C(expected, b);
        }

        Assert.Equal(expected, Crc32C.Append(0x12345678u, data));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(300, false)]
    [InlineData(300, true)]
    [InlineData(7168, true)]
    public void WriteHead_HeadTailCrc_SameBytesAsWrite(int records, bool withRegister)
    {
        var packed = new byte[records * PackedFlowRecord.Size];
        new Random(records).NextBytes(packed);
        for (int i = 0; i < records; i++)
        {
            packed[(i * PackedFlowRecord.Size) + 13] = 1; // valid levels
            packed[(i * PackedFlowRecord.Size) + 14] = 2;
        }

        var batch = new FlowMetadataBatch { TimestampUnixNanos = 123, PeriodNanos = 10_000_000, Part = 2 };
        batch.Applications.Add(new ApplicationName { Application = new Offload.Contracts.Ids.AppId(7), HostNqn = "nqn.2014-08.org.nvmexpress:uuid:tail" });
        if (withRegister)
        {
            batch.SetPackedConnections(packed, Crc32C.Append(0, packed));
        }
        else
        {
            batch.PackedConnections = packed;
        }

        var header = new MessageHeader(2, MessageType.FlowMetadataBatch, 0, 99);
        var whole = new PooledBufferWriter();
        int size = FrameWriter.Write(whole, header, batch);
        var split = new PooledBufferWriter();
        int head = FrameWriter.WriteHead(split, header, batch);
        var bytes = split.WrittenSpan[..head].ToArray().Concat(batch.Tail.ToArray()).Concat(split.WrittenSpan[head..].ToArray()).ToArray();

        Assert.Equal(size, bytes.Length);
        Assert.Equal(whole.WrittenSpan.ToArray(), bytes);
        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameStatus.Complete, FrameReader.TryRead(ref sequence, 4 << 20, out _, out var payload));
        var reader = new Offload.Contracts.MessagePack.MessagePackReader(payload);
        Assert.Equal(records, FlowMetadataBatch.Read(ref reader).Flows.Count);
    }

    /// <summary>A register given with the records is forgotten when the records are replaced another way (a stale
    /// register would corrupt every frame).</summary>
    [Fact]
    public void PackedConnections_Set_ForgetsTheRegister()
    {
        var batch = new FlowMetadataBatch();
        batch.SetPackedConnections(new byte[PackedFlowRecord.Size], 42);
        Assert.Equal(42u, batch.PackedConnectionsCrc);
        batch.PackedConnections = new byte[2 * PackedFlowRecord.Size];
        Assert.Null(batch.PackedConnectionsCrc);
        Assert.Null(batch.TailCrcRegister);
    }

    /// <summary>Over real sessions (TCP, Unix socket, the shared-memory ring smaller than one batch): batches whose records
    /// go out as tails, with the sender's register and without, interleaved with small frames, all arrive intact in order,
    /// and the receiver counts no bad frame.</summary>
    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    [InlineData("shm")]
    public async Task Session_BatchesWithTails_HostDecodesEveryRecord(string kind)
    {
        var endpoint = MailboxFixture.NewEndpoint(kind);
        var options = MailboxFixture.Options();
        options.SharedMemoryRingSize = 256 * 1024;
        var deviceSeen = new RecordingHandler();
        var hostSeen = new RecordingHandler();
        using var cts = new CancellationTokenSource();
        try
        {
            var device = MailboxFixture.Device(endpoint, options, deviceSeen);
            var client = MailboxFixture.Client(endpoint, options, hostSeen);
            var (deviceRun, clientRun) = await MailboxFixture.RunPairAsync(device, client, cts.Token);
            await Eventually.TrueAsync(() => client.Session is not null && !deviceSeen.Established.IsEmpty, "session established");
            deviceSeen.Established.TryPeek(out var session);

            var sent = new List<byte[]>();
            for (int i = 0; i < 6; i++)
            {
                int records = i == 5 ? 7168 : 1 + (i * 97); // the last one larger than the ring
                var packed = new byte[records * PackedFlowRecord.Size];
                new Random(i).NextBytes(packed);
                for (int r = 0; r < records; r++)
                {
                    packed[(r * PackedFlowRecord.Size) + 13] = (byte)(r % 3);
                    packed[(r * PackedFlowRecord.Size) + 14] = (byte)((r + 1) % 3);
                    packed[(r * PackedFlowRecord.Size) + 15] = 0; // reserved
                }

                var batch = new FlowMetadataBatch { TimestampUnixNanos = i, Part = i };
                if (i % 2 == 0)
                {
                    batch.SetPackedConnections(packed, Crc32C.Append(0, packed));
                }
                else
                {
                    batch.PackedConnections = packed;
                }

                sent.Add(packed);
                await session!.SendAsync(batch);
                await session.SendAsync(new Ack { AckedSequence = (ulong)i });
            }

            await Eventually.TrueAsync(() => hostSeen.Messages.Count == 12, "every frame");
            var messages = hostSeen.Messages.ToArray();
            for (int i = 0; i < 6; i++)
            {
                var batch = Assert.IsType<FlowMetadataBatch>(MessageCodec.Decode(messages[2 * i].Header.Type, new ReadOnlySequence<byte>(messages[2 * i].Payload)));
                Assert.Equal(i, batch.Part);
                Assert.Equal(sent[i].Length / PackedFlowRecord.Size, batch.Flows.Count);
                var again = new byte[sent[i].Length];
                for (int r = 0; r < batch.Flows.Count; r++)
                {
                    PackedFlowRecord.Write(again.AsSpan(r * PackedFlowRecord.Size), batch.Flows[r]);
                }

                Assert.Equal(sent[i], again); // every byte of every record
                Assert.Equal((ulong)i, Assert.IsType<Ack>(MessageCodec.Decode(messages[(2 * i) + 1].Header.Type, new ReadOnlySequence<byte>(messages[(2 * i) + 1].Payload))).AckedSequence);
            }

            Assert.Empty(hostSeen.Closed);
            Assert.Equal(0, client.Session!.Counters.Read().BadFrames); // every CRC checked out
            await cts.CancelAsync();
            await Task.WhenAll(deviceRun, clientRun);
        }
        finally
        {
            MailboxFixture.CleanUp(endpoint);
        }
    }
}
