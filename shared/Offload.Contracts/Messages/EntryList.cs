using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>Writes and reads capped arrays of positional entries held in a list.</summary>
internal static class EntryList
{
    public delegate void EntryReader<T>(ref MessagePackReader reader, out T entry, DecodeStatistics? stats);

    /// <summary>Writes the list as an array; the struct constraint keeps each entry unboxed.</summary>
    public static void Write<T>(ref MessagePackWriter writer, List<T> entries)
        where T : struct, IWireEntry
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(entries);
        writer.WriteArrayHeader(span.Length);
        for (int i = 0; i < span.Length; i++)
        {
            span[i].Write(ref writer);
        }
    }

    public static void Read<T>(ref MessagePackReader reader, List<T> into, int cap, EntryReader<T> read, DecodeStatistics? stats)
    {
        long offset = reader.Consumed;
        int n = MapKey.EnterArray(ref reader);
        if (n > cap)
        {
            throw new MessagePackSerializationException($"list of {n} entries exceeds the cap of {cap}", offset);
        }

        // decode straight into the list's storage: no per-entry copy of (large) record structs
        int start = into.Count;
        System.Runtime.InteropServices.CollectionsMarshal.SetCount(into, start + n);
        var entries = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(into)[start..];
        for (int i = 0; i < entries.Length; i++)
        {
            read(ref reader, out entries[i], stats);
        }

        MapKey.Leave(ref reader);
    }
}
