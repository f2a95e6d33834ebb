using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Reads the integer keys of a keyed map. A key that is not a small non-negative integer is skipped together with its
/// value and counted as unknown, so a newer peer can add keys of any shape.
/// </summary>
internal static class MapKey
{
    public static bool TryRead(ref MessagePackReader reader, DecodeStatistics? stats, out int key)
    {
        if (reader.NextMessagePackType == MessagePackType.Integer)
        {
            long value = reader.ReadInt64();
            if (value is >= 0 and <= int.MaxValue)
            {
                key = (int)value;
                return true;
            }
        }
        else
        {
            reader.Skip();
        }

        reader.Skip();
        stats?.CountUnknownKey();
        key = -1;
        return false;
    }

    /// <summary>Skips the value of a key this version does not know and counts it.</summary>
    public static void SkipUnknown(ref MessagePackReader reader, DecodeStatistics? stats)
    {
        reader.Skip();
        stats?.CountUnknownKey();
    }

    /// <summary>Reads the header of a nested map or array, counting one level of depth against the reader's limit.</summary>
    public static int EnterMap(ref MessagePackReader reader)
    {
        reader.DepthStep();
        return reader.ReadMapHeader();
    }

    public static int EnterArray(ref MessagePackReader reader)
    {
        reader.DepthStep();
        return reader.ReadArrayHeader();
    }

    public static void Leave(ref MessagePackReader reader) => reader.Depth--;
}
