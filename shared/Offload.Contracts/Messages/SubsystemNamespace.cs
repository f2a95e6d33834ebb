using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// One namespace of a <see cref="SubsystemSet"/>. Positional: 0 NSID, 1 size in bytes (a positive multiple of the block
/// size), 2 block size (512 or 4096), 3 backing file path ("" = anonymous memory).
/// </summary>
public struct SubsystemNamespace : IWireEntry
{
    public const int FieldCount = 4;

    public uint Nsid { get; set; }
    public ulong Size { get; set; }
    public uint BlockSize { get; set; }
    public string Path { get; set; }

    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(Nsid);
        writer.Write(Size);
        writer.Write(BlockSize);
        writer.Write(Path ?? "");
    }

    public static void Read(ref MessagePackReader reader, out SubsystemNamespace e, DecodeStatistics? stats = null)
    {
        e = default;
        e.Path = "";
        int count = MapKey.EnterArray(ref reader);
        for (int key = 0; key < count; key++)
        {
            if (reader.TryReadNil())
            {
                continue;
            }

            switch (key)
            {
                case 0: e.Nsid = reader.ReadUInt32(); break;
                case 1: e.Size = reader.ReadUInt64(); break;
                case 2: e.BlockSize = reader.ReadUInt32(); break;
                case 3: e.Path = reader.ReadString() ?? ""; break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        MapKey.Leave(ref reader);
    }
}
