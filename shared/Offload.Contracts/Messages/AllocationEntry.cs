using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Resources granted to one application. Positional: 0 application, 1 I/O queue count (granted at its next Connect
/// through Set Features Number of Queues), 2 dequeue weight, 3 dequeue frequency (Hz, 0 = every poll), 4 meter rate
/// (bits/s, 0 = no meter), 5 transmit byte budget (bytes), 6 scheduling-priority hint (0 = throughput, 1 = latency).
/// </summary>
public struct AllocationEntry : IWireEntry
{
    public const int FieldCount = 7;

    public AppId Application { get; set; }
    public ushort IoQueueCount { get; set; }
    public ushort DequeueWeight { get; set; }
    public uint DequeueFrequencyHz { get; set; }
    public ulong MeterRateBitsPerSecond { get; set; }
    public uint TransmitBudgetSize { get; set; }
    public byte PriorityHint { get; set; }

    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(Application.Value);
        writer.Write(IoQueueCount);
        writer.Write(DequeueWeight);
        writer.Write(DequeueFrequencyHz);
        writer.Write(MeterRateBitsPerSecond);
        writer.Write(TransmitBudgetSize);
        writer.Write(PriorityHint);
    }

    public static void Read(ref MessagePackReader reader, out AllocationEntry e, DecodeStatistics? stats = null)
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
                case 1: e.IoQueueCount = reader.ReadUInt16(); break;
                case 2: e.DequeueWeight = reader.ReadUInt16(); break;
                case 3: e.DequeueFrequencyHz = reader.ReadUInt32(); break;
                case 4: e.MeterRateBitsPerSecond = reader.ReadUInt64(); break;
                case 5: e.TransmitBudgetSize = reader.ReadUInt32(); break;
                case 6: e.PriorityHint = reader.ReadByte(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        MapKey.Leave(ref reader);
    }
}
