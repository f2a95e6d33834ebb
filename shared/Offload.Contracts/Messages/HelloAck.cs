using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// The host's answer to <see cref="Hello"/> when a common protocol version exists. Layout never changes.
/// Keys: 0 host id, 1 host software version, 2 negotiated protocol version, 3 capabilities (array of str).
/// </summary>
public sealed class HelloAck : IMailboxMessage
{
    public MessageType Type => MessageType.HelloAck;

    public string HostId { get; init; } = "";

    public string SoftwareVersion { get; init; } = "";

    public ushort ProtocolVersion { get; init; }

    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(4);
        writer.Write(0);
        writer.Write(HostId);
        writer.Write(1);
        writer.Write(SoftwareVersion);
        writer.Write(2);
        writer.Write(ProtocolVersion);
        writer.Write(3);
        StringList.Write(ref writer, Capabilities);
    }

    public static HelloAck Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        string host = "", version = "";
        ushort protocol = 0;
        IReadOnlyList<string> caps = [];
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: host = reader.ReadString() ?? ""; break;
                case 1: version = reader.ReadString() ?? ""; break;
                case 2: protocol = reader.ReadUInt16(); break;
                case 3: caps = StringList.Read(ref reader); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new HelloAck { HostId = host, SoftwareVersion = version, ProtocolVersion = protocol, Capabilities = caps };
    }
}
