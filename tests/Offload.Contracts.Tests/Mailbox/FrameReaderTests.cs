using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Offload.Contracts.Mailbox;
using Offload.Contracts.Messages;
using Offload.Testing;
using Offload.Testing.Mailbox;

namespace Offload.Contracts.Tests.Mailbox;

public sealed class FrameReaderTests
{
    [Fact]
    public void Crc32C_CheckValue_MatchesCastagnoliVector()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0u, Crc32C.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Crc32C_MultiSegment_EqualsContiguous()
    {
        var data = new byte[1000];
        new Random(1).NextBytes(data);
        var seq = SegmentedSequence.Split(data, 7);
        Assert.Equal(Crc32C.Compute(data), Crc32C.Compute(seq));
    }

    [Fact]
    public void TryRead_WholeFrame_ReturnsHeaderPayloadAndAdvances()
    {
        var frame = RawMailboxPeer.Frame(new Ack { AckedSequence = 42, Epoch = 3 }, sequence: 9, version: 1);
        var bytes = frame.Concat(frame).ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameStatus.Complete, FrameReader.TryRead(ref buffer, 1 << 20, out var header, out var payload));
        Assert.Equal(new MessageHeader(1, MessageType.Ack, 0, 9), header);
        Assert.Equal(frame.Length, buffer.Length);
        var reader = new Offload.Contracts.MessagePack.MessagePackReader(payload);
        Assert.Equal(42ul, Ack.Read(ref reader).AckedSequence);
    }

    [Fact]
    public void TryRead_Layout_MatchesProtocolDocument()
    {
        var frame = RawMailboxPeer.Frame(new Ack { AckedSequence = 1, Epoch = 2 }, sequence: 0x0102030405060708, version: 1);
        // payload: map of 2 { 0: 1, 1: 2 } = 82 00 01 01 02
        byte[] payload = [0x82, 0x00, 0x01, 0x01, 0x02];
        Assert.Equal(4 + 16 + payload.Length + 4, frame.Length);
        Assert.Equal((uint)(16 + payload.Length + 4), BinaryPrimitives.ReadUInt32BigEndian(frame));
        Assert.Equal(new byte[] { 0x4F, 0x46, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8 }, frame[4..20]);
        Assert.Equal(payload, frame[20..^4]);
        Assert.Equal(Crc32C.Compute(frame.AsSpan(4, 16 + payload.Length)), BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(frame.Length - 4)));
    }

    [Fact]
    public void TryRead_EveryPrefix_IncompleteAndConsumesNothing()
    {
        var frame = RawMailboxPeer.Frame(new Hello { BoardId = "bf3", FirmwareVersion = "1.0", MinProtocolVersion = 1, MaxProtocolVersion = 1, Capabilities = ["a"] }, 1);
        for (int n = 0; n < frame.Length; n++)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, n);
            Assert.Equal(FrameStatus.Incomplete, FrameReader.TryRead(ref buffer, 1 << 20, out _, out _));
            Assert.Equal(n, buffer.Length);
        }
    }

    [Fact]
    public void TryRead_OneByteSegments_SameResult()
    {
        var frame = RawMailboxPeer.Frame(new ErrorMessage { Code = ErrorCode.Rejected, Message = "nope" }, 3);
        var buffer = SegmentedSequence.Split(frame, 1);
        Assert.Equal(FrameStatus.Complete, FrameReader.TryRead(ref buffer, 1 << 20, out var header, out var payload));
        Assert.Equal(MessageType.Error, header.Type);
        var reader = new Offload.Contracts.MessagePack.MessagePackReader(payload);
        Assert.Equal("nope", ErrorMessage.Read(ref reader).Message);
    }

    [Fact]
    public void TryRead_LengthOverCap_OversizeFromFourBytes()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF });
        Assert.Equal(FrameStatus.Oversize, FrameReader.TryRead(ref buffer, 1 << 20, out _, out _));
        Assert.Equal(4, buffer.Length);
    }

    [Fact]
    public void TryRead_LengthBelowHeader_Undersize()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0, 0, 0, 19, 0x4F, 0x46 });
        Assert.Equal(FrameStatus.Undersize, FrameReader.TryRead(ref buffer, 1 << 20, out _, out _));
    }

    [Fact]
    public void TryRead_WrongMagic_BadMagicBeforeWholeFrameArrives()
    {
        var frame = RawMailboxPeer.Frame(new Ack(), 1);
        frame[4] = 0x00;
        var buffer = new ReadOnlySequence<byte>(frame, 0, 6);
        Assert.Equal(FrameStatus.BadMagic, FrameReader.TryRead(ref buffer, 1 << 20, out _, out _));
    }

    [Fact]
    public void TryRead_AnyFlippedBitAfterMagic_IsDetected()
    {
        var frame = RawMailboxPeer.Frame(new Heartbeat { Nonce = 77, SentAtTicks = 123456 }, 5);
        for (int i = 6; i < frame.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                var copy = (byte[])frame.Clone();
                copy[i] ^= (byte)(1 << bit);
                var buffer = new ReadOnlySequence<byte>(copy);
                Assert.Equal(FrameStatus.BadCrc, FrameReader.TryRead(ref buffer, 1 << 20, out _, out _));
            }
        }
    }
}
