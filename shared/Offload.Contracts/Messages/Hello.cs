using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Sent by the NIC (device end) as soon as a host connects. Its layout never changes across protocol versions.
/// Keys: 0 board id, 1 firmware version, 2 min protocol, 3 max protocol, 4 capabilities (array of str).
/// </summary>
public sealed class Hello : IMailboxMessage
{
    public MessageType Type => MessageType.Hello;

    public string BoardId { get; init; } = "";

    public string FirmwareVersion { get; init; } = "";

    public ushort MinProtocolVersion { get; init; }

    public ushort MaxProtocolVersion { get; init; }

    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(5);
        writer.Write(0);
        writer.Write(BoardId);
        writer.Write(1);
        writer.Write(FirmwareVersion);
        writer.Write(2);
        writer.Write(MinProtocolVersion);
        writer.Write(3);
        writer.Write(MaxProtocolVersion);
        writer.Write(4);
        StringList.Write(ref writer, Capabilities);
    }

    public static Hello Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        string board = "", firmware = "";
        ushort min = 0, max = 0;
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
                case 0: board = reader.ReadString() ?? ""; break;
                case 1: firmware = reader.ReadString() ?? ""; break;
                case 2: min = reader.ReadUInt16(); break;
                case 3: max = reader.ReadUInt16(); break;
                case 4: caps = StringList.Read(ref reader); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new Hello { BoardId = board, FirmwareVersion = firmware, MinProtocolVersion = min, MaxProtocolVersion = max, Capabilities = caps };
    }
}
