using System.Buffers;

namespace Offload.Contracts.MessagePack;

/// <summary>
/// Decodes one value into plain objects, for tools and tests (not for hot paths). Mapping: nil → null,
/// bool, integer → <see cref="long"/> (or <see cref="ulong"/> above long.MaxValue), float32 → <see cref="float"/>,
/// float64 → <see cref="double"/>, str → <see cref="string"/>, bin → <see cref="byte"/>[], array → object?[],
/// map → <see cref="List{T}"/> of key/value pairs in wire order (keys may repeat or be nil), timestamp (ext -1)
/// → UTC <see cref="DateTime"/> when exactly representable, any other ext → <see cref="ExtensionValue"/>.
/// Depth, lengths and UTF-8 are checked by the reader.
/// </summary>
public static class MessagePackValueReader
{
    public static object? Read(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                ulong bits = reader.ReadIntegerBits(out bool isNegative);
                return isNegative || bits <= long.MaxValue ? (object)unchecked((long)bits) : (object)bits;
            case MessagePackType.Float:
                return reader.NextCode == MessagePackCode.Float32 ? (object)reader.ReadSingle() : (object)reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return reader.ReadBytes()!.Value.ToArray();
            case MessagePackType.Array:
                return ReadArray(ref reader);
            case MessagePackType.Map:
                return ReadMap(ref reader);
            case MessagePackType.Extension:
                return ReadExtension(ref reader);
            default:
                ThrowHelper.InvalidCode(reader.Consumed, reader.NextCode);
                return null;
        }
    }

    private static object?[] ReadArray(ref MessagePackReader reader)
    {
        int count = reader.ReadArrayHeader();
        reader.DepthStep();
        var items = new object?[count];
        for (int i = 0; i < count; i++)
        {
            items[i] = Read(ref reader);
        }

        reader.Depth--;
        return items;
    }

    private static List<KeyValuePair<object?, object?>> ReadMap(ref MessagePackReader reader)
    {
        int count = reader.ReadMapHeader();
        reader.DepthStep();
        var pairs = new List<KeyValuePair<object?, object?>>(count);
        for (int i = 0; i < count; i++)
        {
            object? key = Read(ref reader);
            object? value = Read(ref reader);
            pairs.Add(new KeyValuePair<object?, object?>(key, value));
        }

        reader.Depth--;
        return pairs;
    }

    private static object ReadExtension(ref MessagePackReader reader)
    {
        ExtensionResult ext = reader.ReadExtensionFormat();
        byte[] data = ext.Data.ToArray();
        if (ext.TypeCode == ReservedMessagePackExtensionTypeCode.DateTime
            && data.Length is 4 or 8 or 12
            && MessagePackReader.TryDecodeTimestamp(data, out long seconds, out uint nanoseconds)
            && nanoseconds % 100 == 0
            && MessagePackReader.TryToDateTime(seconds, nanoseconds, out DateTime value))
        {
            return value;
        }

        return new ExtensionValue(ext.TypeCode, data);
    }
}
