using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Node-wide totals sent with telemetry. Positional (int-keyed array) like <see cref="FlowRecord"/>:
/// 0 total SQ entries, 1 total SQ capacity, 2 total CQ entries, 3 total CQ capacity, 4 packets/s,
/// 5 NIC CPU ns/s, 6 shared memory used (bytes), 7 shared memory size (bytes), 8 the telemetry's own CPU ns/s (the
/// thread that sweeps, measures and sends the flow metadata and occupancy reports; 0 from a sender before it).
/// </summary>
public struct NodeTotals
{
    public const int FieldCount = 9;

    public ulong SqDepth { get; set; }
    public ulong SqCapacity { get; set; }
    public ulong CqDepth { get; set; }
    public ulong CqCapacity { get; set; }
    public float PacketRate { get; set; }
    public ulong CpuNanosPerSecond { get; set; }
    public ulong MemoryUsedSize { get; set; }
    public ulong MemorySize { get; set; }

    /// <summary>CPU time of nic-fw's telemetry thread over the window, ns/s (1e9 = one whole core): what issue 5's bound
    /// ("10,000 flows at 100 reports/s within 5% of one core") is about, measured on the NIC that runs.</summary>
    public ulong TelemetryCpuNanosPerSecond { get; set; }

    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(SqDepth);
        writer.Write(SqCapacity);
        writer.Write(CqDepth);
        writer.Write(CqCapacity);
        writer.Write(PacketRate);
        writer.Write(CpuNanosPerSecond);
        writer.Write(MemoryUsedSize);
        writer.Write(MemorySize);
        writer.Write(TelemetryCpuNanosPerSecond);
    }

    public static NodeTotals Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        var t = default(NodeTotals);
        int count = MapKey.EnterArray(ref reader);
        for (int key = 0; key < count; key++)
        {
            if (reader.TryReadNil())
            {
                continue;
            }

            switch (key)
            {
                case 0: t.SqDepth = reader.ReadUInt64(); break;
                case 1: t.SqCapacity = reader.ReadUInt64(); break;
                case 2: t.CqDepth = reader.ReadUInt64(); break;
                case 3: t.CqCapacity = reader.ReadUInt64(); break;
                case 4: t.PacketRate = reader.ReadSingle(); break;
                case 5: t.CpuNanosPerSecond = reader.ReadUInt64(); break;
                case 6: t.MemoryUsedSize = reader.ReadUInt64(); break;
                case 7: t.MemorySize = reader.ReadUInt64(); break;
                case 8: t.TelemetryCpuNanosPerSecond = reader.ReadUInt64(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        MapKey.Leave(ref reader);
        return t;
    }
}
