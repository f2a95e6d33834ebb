using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Host to NIC: remove one NVMe subsystem from the running target; its controllers fail and their connections close.
/// Keys: 0 subsystem NQN, 1 desired-state revision (for logs). Answered with <see cref="Ack"/> (epoch 0), also when
/// the subsystem did not exist (removal is idempotent), or <see cref="ErrorMessage"/> for the discovery NQN.
/// </summary>
public sealed class SubsystemRemove : IMailboxMessage
{
    public MessageType Type => MessageType.SubsystemRemove;

    public string Nqn { get; set; } = "";

    public ulong Revision { get; set; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(2);
        writer.Write(0);
        writer.Write(Nqn);
        writer.Write(1);
        writer.Write(Revision);
    }

    public static SubsystemRemove Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        var message = new SubsystemRemove();
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: message.Nqn = reader.ReadString() ?? ""; break;
                case 1: message.Revision = reader.ReadUInt64(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return message;
    }
}
