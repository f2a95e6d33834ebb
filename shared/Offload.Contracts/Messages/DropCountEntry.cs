using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>One drop reason in <see cref="DatapathStats"/>. Positional: 0 reason code (<see cref="DatapathDropCode"/>), 1 count.</summary>
public readonly record struct DropCountEntry(byte Reason, ulong Count) : IWireEntry
{
    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(2);
        writer.Write(Reason);
        writer.Write(Count);
    }

    public static void Read(ref MessagePackReader reader, out DropCountEntry e, DecodeStatistics? stats = null)
    {
        byte reason = 0;
        ulong value = 0;
        int count = MapKey.EnterArray(ref reader);
        for (int key = 0; key < count; key++)
        {
            if (reader.TryReadNil())
            {
                continue;
            }

            switch (key)
            {
                case 0: reason = reader.ReadByte(); break;
                case 1: value = reader.ReadUInt64(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        MapKey.Leave(ref reader);
        e = new DropCountEntry(reason, value);
    }
}
