using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>Arrays of strings, as used for capability lists. Capped at <see cref="MaxCount"/> entries.</summary>
internal static class StringList
{
    public const int MaxCount = 256;

    public static void Write(ref MessagePackWriter writer, IReadOnlyList<string> values)
    {
        writer.WriteArrayHeader(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            writer.Write(values[i]);
        }
    }

    public static IReadOnlyList<string> Read(ref MessagePackReader reader)
    {
        long offset = reader.Consumed;
        int count = MapKey.EnterArray(ref reader);
        if (count > MaxCount)
        {
            throw new MessagePackSerializationException($"string list of {count} entries exceeds the cap of {MaxCount}", offset);
        }

        var list = new string[count];
        for (int i = 0; i < count; i++)
        {
            list[i] = reader.ReadString() ?? "";
        }

        MapKey.Leave(ref reader);
        return list;
    }
}
