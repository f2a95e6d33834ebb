using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Host to NIC: mirror the frames received and sent on one datapath port to the host (<c>offloadctl capture</c>).
/// Keys: 0 capture id, 1 port number, 2 frame count (0 stops the capture with this id), 3 snap length in bytes
/// (frames are cut to it, capped at <see cref="MaxSnapLength"/>). One capture runs at a time per NIC; a new start
/// replaces the previous one. The NIC answers with <see cref="CaptureFrames"/> batches, the last one marked done.
/// </summary>
public sealed class CaptureStart : IMailboxMessage
{
    /// <summary>Largest snap length (bytes of one frame kept).</summary>
    public const int MaxSnapLength = 65535;

    public MessageType Type => MessageType.CaptureStart;

    public uint CaptureId { get; init; }

    public ushort Port { get; init; }

    public uint Count { get; init; }

    public uint SnapLength { get; init; } = MaxSnapLength;

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(4);
        writer.Write(0);
        writer.Write(CaptureId);
        writer.Write(1);
        writer.Write(Port);
        writer.Write(2);
        writer.Write(Count);
        writer.Write(3);
        writer.Write(SnapLength);
    }

    public static CaptureStart Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        uint id = 0, count = 0, snap = MaxSnapLength;
        ushort port = 0;
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
                case 1: port = reader.ReadUInt16(); break;
                case 2: count = reader.ReadUInt32(); break;
                case 3: snap = Math.Min(reader.ReadUInt32(), MaxSnapLength); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new CaptureStart { CaptureId = id, Port = port, Count = count, SnapLength = snap };
    }
}
