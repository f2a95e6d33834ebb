using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// One SQ/CQ pair of one application. Positional: 0 application, 1 queue id, 2 SQ depth, 3 SQ size, 4 SQ time-averaged
/// depth, 5 SQ level, 6 CQ depth, 7 CQ size, 8 CQ time-averaged depth, 9 CQ level, 10 SQ window average (the SQ's
/// mean depth since the previous periodic report; absent from a sender before it, read as 0).
/// </summary>
public struct QueueOccupancyEntry : IWireEntry
{
    public const int FieldCount = 11;

    public AppId Application { get; set; }
    public QueueId Queue { get; set; }
    public uint SqDepth { get; set; }
    public uint SqSize { get; set; }
    public float SqAverage { get; set; }
    public OccupancyLevel SqLevel { get; set; }
    public uint CqDepth { get; set; }
    public uint CqSize { get; set; }
    public float CqAverage { get; set; }
    public OccupancyLevel CqLevel { get; set; }

    /// <summary>The SQ's mean depth over the report window (since the previous periodic report): unlike
    /// <see cref="SqAverage"/> (1 s time constant), it shows at once a queue that has just started to hold commands.</summary>
    public float SqWindowAverage { get; set; }

    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(Application.Value);
        writer.Write(Queue.Value);
        writer.Write(SqDepth);
        writer.Write(SqSize);
        writer.Write(SqAverage);
        writer.Write((byte)SqLevel);
        writer.Write(CqDepth);
        writer.Write(CqSize);
        writer.Write(CqAverage);
        writer.Write((byte)CqLevel);
        writer.Write(SqWindowAverage);
    }

    public static void Read(ref MessagePackReader reader, out QueueOccupancyEntry e, DecodeStatistics? stats = null)
    {
        e = default;
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
                case 1: e.Queue = new QueueId(reader.ReadUInt16()); break;
                case 2: e.SqDepth = reader.ReadUInt32(); break;
                case 3: e.SqSize = reader.ReadUInt32(); break;
                case 4: e.SqAverage = reader.ReadSingle(); break;
                case 5: e.SqLevel = FlowRecord.ReadLevel(ref reader); break;
                case 6: e.CqDepth = reader.ReadUInt32(); break;
                case 7: e.CqSize = reader.ReadUInt32(); break;
                case 8: e.CqAverage = reader.ReadSingle(); break;
                case 9: e.CqLevel = FlowRecord.ReadLevel(ref reader); break;
                case 10: e.SqWindowAverage = reader.ReadSingle(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        MapKey.Leave(ref reader);
    }
}
