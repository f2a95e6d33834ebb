using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// One switch port in <see cref="DatapathStats"/>. Positional: 0 port number, 1 name, 2 rx packets, 3 rx bytes,
/// 4 tx packets, 5 tx bytes, 6 tx dropped (frames the port refused or could not take), 7 MTU (the largest IP packet
/// the port carries; absent from an older sender: 0, not known).
/// </summary>
public struct DatapathPortEntry : IWireEntry
{
    public const int FieldCount = 8;

    /// <summary>Longest port name carried (longer names are cut).</summary>
    public const int MaxNameLength = 128;

    public uint Port { get; set; }
    public string Name { get; set; }
    public ulong RxPackets { get; set; }
    public ulong RxBytes { get; set; }
    public ulong TxPackets { get; set; }
    public ulong TxBytes { get; set; }
    public ulong TxDropped { get; set; }
    public uint Mtu { get; set; }

    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(Port);
        var name = Name ?? "";
        writer.Write(name.Length > MaxNameLength ? name[..MaxNameLength] : name);
        writer.Write(RxPackets);
        writer.Write(RxBytes);
        writer.Write(TxPackets);
        writer.Write(TxBytes);
        writer.Write(TxDropped);
        writer.Write(Mtu);
    }

    public static void Read(ref MessagePackReader reader, out DatapathPortEntry e, DecodeStatistics? stats = null)
    {
        e = default;
        e.Name = "";
        int count = MapKey.EnterArray(ref reader);
        for (int key = 0; key < count; key++)
        {
            if (reader.TryReadNil())
            {
                continue;
            }

            switch (key)
            {
                case 0: e.Port = reader.ReadUInt32(); break;
                case 1: e.Name = reader.ReadString() ?? ""; break;
                case 2: e.RxPackets = reader.ReadUInt64(); break;
                case 3: e.RxBytes = reader.ReadUInt64(); break;
                case 4: e.TxPackets = reader.ReadUInt64(); break;
                case 5: e.TxBytes = reader.ReadUInt64(); break;
                case 6: e.TxDropped = reader.ReadUInt64(); break;
                case 7: e.Mtu = reader.ReadUInt32(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        MapKey.Leave(ref reader);
    }
}
