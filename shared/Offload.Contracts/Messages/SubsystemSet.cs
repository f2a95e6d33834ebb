using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Host to NIC: create or update one NVMe subsystem of the running target to exactly this shape (declarative: namespaces
/// not listed are detached, hosts not listed lose access). Keys: 0 subsystem NQN, 1 allow any host, 2 allowed host NQNs
/// (array of strings), 3 namespaces (array of <see cref="SubsystemNamespace"/>), 4 desired-state revision (for logs).
/// The NIC applies subsystem, then namespaces, then the allow-list, and answers <see cref="Ack"/> (epoch 0) or
/// <see cref="ErrorMessage"/> (<see cref="ErrorCode.Rejected"/>, related sequence = this message's sequence).
/// </summary>
public sealed class SubsystemSet : IMailboxMessage
{
    /// <summary>Most namespaces one subsystem may declare.</summary>
    public const int MaxNamespaces = 1024;

    public MessageType Type => MessageType.SubsystemSet;

    public string Nqn { get; set; } = "";

    public bool AllowAnyHost { get; set; }

    public IReadOnlyList<string> Hosts { get; set; } = [];

    public List<SubsystemNamespace> Namespaces { get; } = [];

    public ulong Revision { get; set; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(5);
        writer.Write(0);
        writer.Write(Nqn);
        writer.Write(1);
        writer.Write(AllowAnyHost);
        writer.Write(2);
        StringList.Write(ref writer, Hosts);
        writer.Write(3);
        EntryList.Write(ref writer, Namespaces);
        writer.Write(4);
        writer.Write(Revision);
    }

    public static SubsystemSet Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        var message = new SubsystemSet();
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
                case 1: message.AllowAnyHost = reader.ReadBoolean(); break;
                case 2: message.Hosts = StringList.Read(ref reader); break;
                case 3: EntryList.Read(ref reader, message.Namespaces, MaxNamespaces, SubsystemNamespace.Read, stats); break;
                case 4: message.Revision = reader.ReadUInt64(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return message;
    }
}
