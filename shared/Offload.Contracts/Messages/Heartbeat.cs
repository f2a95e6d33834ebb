using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Sent every heartbeat period by both ends. The receiver answers with the same nonce and send time and
/// <see cref="IsEcho"/> set, so the sender measures the round trip. Keys: 0 nonce, 1 sent-at (sender's monotonic
/// ticks), 2 is-echo.
/// </summary>
public sealed class Heartbeat : IMailboxMessage
{
    public MessageType Type => MessageType.Heartbeat;

    public ulong Nonce { get; init; }

    public long SentAtTicks { get; init; }

    public bool IsEcho { get; init; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(3);
        writer.Write(0);
        writer.Write(Nonce);
        writer.Write(1);
        writer.Write(SentAtTicks);
        writer.Write(2);
        writer.Write(IsEcho);
    }

    public static Heartbeat Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        ulong nonce = 0;
        long sent = 0;
        bool echo = false;
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: nonce = reader.ReadUInt64(); break;
                case 1: sent = reader.ReadInt64(); break;
                case 2: echo = reader.ReadBoolean(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new Heartbeat { Nonce = nonce, SentAtTicks = sent, IsEcho = echo };
    }
}
