using System.Buffers;
using System.Buffers.Binary;
using Offload.Contracts.Mailbox;
using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Contracts.Tests.Messages;
using Offload.Testing.Mailbox;

namespace Offload.Contracts.Tests.Mailbox;

/// <summary>
/// One million random and mutated byte strings through the frame reader and, for frames that pass the CRC, the
/// message decoders. The only exception allowed is <see cref="MessagePackSerializationException"/>; every input
/// finishes (the loop is bounded, and a hang fails the run through the test timeout).
/// </summary>
public sealed class FrameFuzzTests
{
    private const int Inputs = 1_000_000;

    private static byte[][] Seeds()
    {
        var batch = new FlowMetadataBatch { TimestampUnixNanos = 1, PeriodNanos = 2 };
        for (int i = 0; i < 3; i++)
        {
            batch.Flows.Add(MessageRoundTripTests.SampleFlow(i));
        }

        var occ = new QueueOccupancy();
        occ.Entries.Add(default);
        var rate = new RateUpdate { Epoch = 1 };
        rate.Entries.Add(new RateEntry { IopsLimit = 5 });
        var alloc = new AllocationUpdate { Epoch = 1 };
        alloc.Entries.Add(new AllocationEntry { IoQueueCount = 2 });
        IMailboxMessage[] messages =
        [
            new Hello { BoardId = "b", FirmwareVersion = "f", MinProtocolVersion = 1, MaxProtocolVersion = 2, Capabilities = ["c", "d"] },
            new HelloAck { HostId = "h", ProtocolVersion = 1 },
            new Heartbeat { Nonce = 3, SentAtTicks = 4 },
            new Ack { AckedSequence = 1 },
            new ErrorMessage { Code = ErrorCode.Malformed, Message = "m" },
            batch, occ, rate, alloc,
            new FlowMiss { Key = new byte[] { 1, 2 }, PacketHead = new byte[] { 3 } },
            new FlowInstall { Match = new byte[] { 1 }, Mask = new byte[] { 1 }, Actions = [new FlowAction(FlowActionKind.Output, 1)] },
            new FlowRemove { Match = new byte[] { 1 } },
        ];
        return [.. messages.Select((m, i) => RawMailboxPeer.Frame(m, (ulong)i + 1))];
    }

    [Fact]
    public void TryReadAndDecode_MillionMutatedInputs_OnlyTypedExceptions()
    {
        var seeds = Seeds();
        var options = new MessagePackReaderOptions { MaxDepth = 16, MaxFrameSize = 1 << 16 };
        var stats = new DecodeStatistics();
        long complete = 0, typed = 0;
        var statuses = new long[Enum.GetValues<FrameStatus>().Length];
        Parallel.For(0, Environment.ProcessorCount, worker =>
        {
            var rng = new Random(1234 + worker);
            var scratch = new byte[4096];
            for (int n = worker; n < Inputs; n += Environment.ProcessorCount)
            {
                int length = Mutate(rng, seeds, scratch);
                var buffer = new ReadOnlySequence<byte>(scratch, 0, length);
                int guard = 0;
                while (guard++ < 64)
                {
                    var status = FrameReader.TryRead(ref buffer, 1 << 16, out var header, out var payload);
                    Interlocked.Increment(ref statuses[(int)status]);
                    if (status != FrameStatus.Complete)
                    {
                        break;
                    }

                    Interlocked.Increment(ref complete);
                    try
                    {
                        MessageCodec.Decode(header.Type, payload, options, stats);
                    }
                    catch (MessagePackSerializationException)
                    {
                        Interlocked.Increment(ref typed);
                    }
                }

                Assert.True(guard < 64, "frame reader did not make progress");
            }
        });

        Assert.True(complete > 100_000, $"mutations reached the decoders {complete} times");
        Assert.True(typed > 1_000, $"decoders rejected {typed} payloads");
        Assert.True(statuses[(int)FrameStatus.BadCrc] > 1_000);
        Assert.True(statuses[(int)FrameStatus.Oversize] > 1_000);
    }

    /// <summary>Random bytes, or a seed frame with flips, truncation, insertions or huge lengths; CRC re-sealed half the time.</summary>
    private static int Mutate(Random rng, byte[][] seeds, byte[] scratch)
    {
        if (rng.Next(10) == 0)
        {
            int len = rng.Next(0, 64);
            rng.NextBytes(scratch.AsSpan(0, len));
            return len;
        }

        var seed = seeds[rng.Next(seeds.Length)];
        seed.CopyTo(scratch, 0);
        int length = seed.Length;
        int edits = rng.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = 20 + rng.Next(Math.Max(1, length - 24));
            switch (rng.Next(6))
            {
                case 0: scratch[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1: scratch[at] = (byte)rng.Next(256); break;
                case 2: scratch[at] = (byte)(0xC4 + rng.Next(0x1B)); break;             // a length-bearing format code
                case 3 when at + 5 < length: BinaryPrimitives.WriteUInt32BigEndian(scratch.AsSpan(at + 1), 0xFFFFFFFF); break;
                case 4: length = Math.Max(4, rng.Next(length)); break;                   // truncate
                default: scratch[at] = 0xDF; break;                                       // map32 header
            }
        }

        if (rng.Next(20) == 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(scratch, (uint)rng.Next());
        }
        else if (length >= 24)
        {
            BinaryPrimitives.WriteUInt32BigEndian(scratch, (uint)(length - 4));
            if (rng.Next(2) == 0)
            {
                uint crc = Crc32C.Compute(scratch.AsSpan(4, length - 8));
                BinaryPrimitives.WriteUInt32BigEndian(scratch.AsSpan(length - 4), crc);
            }
        }

        return length;
    }
}
