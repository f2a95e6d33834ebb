using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>Reads a bin field into a new array after checking it against a per-field cap.</summary>
internal static class BinField
{
    public static byte[] Read(ref MessagePackReader reader, int cap, string what)
    {
        long offset = reader.Consumed;
        var bytes = reader.ReadBytes();
        if (bytes is not { } seq)
        {
            return [];
        }

        if (seq.Length > cap)
        {
            throw new MessagePackSerializationException($"{what} of {seq.Length} bytes exceeds the cap of {cap}", offset);
        }

        return System.Buffers.BuffersExtensions.ToArray(seq);
    }
}
