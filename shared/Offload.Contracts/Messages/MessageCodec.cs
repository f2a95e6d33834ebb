using System.Buffers;
using Offload.Contracts.Buffers;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>Decodes any known message by type; the one place that maps <see cref="MessageType"/> to a decoder.</summary>
public static class MessageCodec
{
    /// <summary>
    /// Decodes a payload. Returns null for a type this version does not know (counted in <paramref name="stats"/>).
    /// Malformed input throws <see cref="MessagePackSerializationException"/>, and nothing else.
    /// </summary>
    public static IMailboxMessage? Decode(MessageType type, in ReadOnlySequence<byte> payload, MessagePackReaderOptions? options = null, DecodeStatistics? stats = null)
    {
        var reader = new MessagePackReader(payload, options ?? MessagePackReaderOptions.Default);
        IMailboxMessage? message = type switch
        {
            MessageType.Hello => Hello.Read(ref reader, stats),
            MessageType.HelloAck => HelloAck.Read(ref reader, stats),
            MessageType.Heartbeat => Heartbeat.Read(ref reader, stats),
            MessageType.Ack => Ack.Read(ref reader, stats),
            MessageType.Error => ErrorMessage.Read(ref reader, stats),
            MessageType.QueueOccupancy => QueueOccupancy.Read(ref reader, stats),
            MessageType.FlowMetadataBatch => FlowMetadataBatch.Read(ref reader, stats),
            MessageType.RateUpdate => RateUpdate.Read(ref reader, stats),
            MessageType.AllocationUpdate => AllocationUpdate.Read(ref reader, stats),
            MessageType.FlowMiss => FlowMiss.Read(ref reader, stats),
            MessageType.FlowInstall => FlowInstall.Read(ref reader, stats),
            MessageType.FlowRemove => FlowRemove.Read(ref reader, stats),
            MessageType.SubsystemSet => SubsystemSet.Read(ref reader, stats),
            MessageType.SubsystemRemove => SubsystemRemove.Read(ref reader, stats),
            MessageType.FlowDumpRequest => FlowDumpRequest.Read(ref reader, stats),
            MessageType.FlowDumpReply => FlowDumpReply.Read(ref reader, stats),
            MessageType.CaptureStart => CaptureStart.Read(ref reader, stats),
            MessageType.CaptureFrames => CaptureFrames.Read(ref reader, stats),
            MessageType.NetworkSummary => NetworkSummary.Read(ref reader, stats),
            MessageType.DatapathStats => DatapathStats.Read(ref reader, stats),
            _ => null,
        };

        if (message is null)
        {
            stats?.CountUnknownMessageType();
        }

        return message;
    }

    /// <summary>Encodes a message payload (no frame) into a new array; for tools and tests, not the hot path.</summary>
    public static byte[] Encode(IMailboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new PooledBufferWriter(256);
        var writer = new MessagePackWriter(buffer);
        message.Write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
