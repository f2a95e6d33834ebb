using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// NIC to host: a batch of mirrored frames of one capture. Keys: 0 capture id, 1 frames (array of [timestamp Unix ns,
/// original length, direction 0 rx / 1 tx, data bin], at most <see cref="MaxFrames"/>), 2 frames dropped so far because
/// the mirror ring was full, 3 done (the requested count was reached or the capture was stopped).
/// </summary>
public sealed class CaptureFrames : IMailboxMessage
{
    /// <summary>Most frames one batch carries.</summary>
    public const int MaxFrames = 256;

    public MessageType Type => MessageType.CaptureFrames;

    public uint CaptureId { get; init; }

    public List<CapturedFrame> Frames { get; } = [];

    public ulong Dropped { get; init; }

    public bool Done { get; init; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(4);
        writer.Write(0);
        writer.Write(CaptureId);
        writer.Write(1);
        writer.WriteArrayHeader(Frames.Count);
        foreach (var frame in Frames)
        {
            writer.WriteArrayHeader(4);
            writer.Write(frame.TimestampUnixNanos);
            writer.Write(frame.OriginalLength);
            writer.Write(frame.Outbound ? (byte)1 : (byte)0);
            writer.Write(frame.Data.Span);
        }

        writer.Write(2);
        writer.Write(Dropped);
        writer.Write(3);
        writer.Write(Done);
    }

    public static CaptureFrames Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        uint id = 0;
        ulong dropped = 0;
        bool done = false;
        var frames = new List<CapturedFrame>();
        int n = reader.ReadMapHeader();
        for (int i = 0; i < n; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: id = reader.ReadUInt32(); break;
                case 1: ReadFrames(ref reader, frames, stats); break;
                case 2: dropped = reader.ReadUInt64(); break;
                case 3: done = reader.ReadBoolean(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        var message = new CaptureFrames { CaptureId = id, Dropped = dropped, Done = done };
        message.Frames.AddRange(frames);
        return message;
    }

    private static void ReadFrames(ref MessagePackReader reader, List<CapturedFrame> frames, DecodeStatistics? stats)
    {
        long offset = reader.Consumed;
        int count = MapKey.EnterArray(ref reader);
        if (count > MaxFrames)
        {
            throw new MessagePackSerializationException($"capture batch of {count} frames exceeds the cap of {MaxFrames}", offset);
        }

        for (int i = 0; i < count; i++)
        {
            int fields = MapKey.EnterArray(ref reader);
            long timestamp = 0;
            uint original = 0;
            bool outbound = false;
            byte[] data = [];
            for (int f = 0; f < fields; f++)
            {
                switch (f)
                {
                    case 0: timestamp = reader.ReadInt64(); break;
                    case 1: original = reader.ReadUInt32(); break;
                    case 2: outbound = reader.ReadByte() != 0; break;
                    case 3: data = BinField.Read(ref reader, CaptureStart.MaxSnapLength, "frame"); break;
                    default: MapKey.SkipUnknown(ref reader, stats); break;
                }
            }

            MapKey.Leave(ref reader);
            if (original < data.Length)
            {
                throw new MessagePackSerializationException($"captured frame of {data.Length} bytes claims an original length of {original}", offset);
            }

            frames.Add(new CapturedFrame(timestamp, original, outbound, data));
        }

        MapKey.Leave(ref reader);
    }
}
