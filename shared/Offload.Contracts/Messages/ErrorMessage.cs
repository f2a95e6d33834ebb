using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Reports a failure to the peer. Layout never changes, so it can be sent before a version is negotiated.
/// Keys: 0 code, 1 human-readable message, 2 related sequence (0 when none).
/// </summary>
public sealed class ErrorMessage : IMailboxMessage
{
    public MessageType Type => MessageType.Error;

    public ErrorCode Code { get; init; }

    public string Message { get; init; } = "";

    public ulong RelatedSequence { get; init; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(3);
        writer.Write(0);
        writer.Write((int)Code);
        writer.Write(1);
        writer.Write(Message);
        writer.Write(2);
        writer.Write(RelatedSequence);
    }

    public static ErrorMessage Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        int code = 0;
        string message = "";
        ulong related = 0;
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: code = reader.ReadInt32(); break;
                case 1: message = reader.ReadString() ?? ""; break;
                case 2: related = reader.ReadUInt64(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new ErrorMessage { Code = (ErrorCode)code, Message = message, RelatedSequence = related };
    }
}
