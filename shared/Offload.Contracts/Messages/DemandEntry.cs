using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// One application's demand in a <see cref="NetworkSummary"/>. Positional: 0 application id (per node), 1 host NQN
/// (the tenant across nodes; "" when unknown; at most 223 bytes), 2 read requests/s (EWMA), 3 write requests/s (EWMA),
/// 4 received bits/s, 5 shared memory used (bytes), 6 SQ level.
/// </summary>
public struct DemandEntry : IWireEntry
{
    public const int FieldCount = 7;

    public AppId Application { get; set; }
    public string HostNqn { get; set; }
    public float ReadRate { get; set; }
    public float WriteRate { get; set; }
    public float BitRate { get; set; }
    public ulong SharedMemorySize { get; set; }
    public OccupancyLevel SqLevel { get; set; }

    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(Application.Value);
        writer.Write(HostNqn ?? "");
        writer.Write(ReadRate);
        writer.Write(WriteRate);
        writer.Write(BitRate);
        writer.Write(SharedMemorySize);
        writer.Write((byte)SqLevel);
    }

    public static void Read(ref MessagePackReader reader, out DemandEntry e, DecodeStatistics? stats = null)
    {
        e = default;
        e.HostNqn = "";
        int count = MapKey.EnterArray(ref reader);
        for (int key = 0; key < count; key++)
        {
            if (reader.TryReadNil())
            {
                continue;
            }

            switch (key)
            {
                case 0: e.Application = new AppId(reader.ReadUInt32()); break;
                case 1: e.HostNqn = ApplicationName.ReadNqn(ref reader); break;
                case 2: e.ReadRate = reader.ReadSingle(); break;
                case 3: e.WriteRate = reader.ReadSingle(); break;
                case 4: e.BitRate = reader.ReadSingle(); break;
                case 5: e.SharedMemorySize = reader.ReadUInt64(); break;
                case 6: e.SqLevel = (OccupancyLevel)reader.ReadByte(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        MapKey.Leave(ref reader);
    }
}
