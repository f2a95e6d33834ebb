using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// NIC to host, periodic (nic-fw <c>Datapath:StatsPeriodMilliseconds</c>, default 1 s): the switch datapath's counters,
/// cumulative since nic-fw started. Keys: 0 timestamp (Unix ns), 1 period (ms), 2 ports (array of
/// <see cref="DatapathPortEntry"/>), 3 drops (array of <see cref="DropCountEntry"/>, non-zero reasons only),
/// 4 upcalls sent, 5 upcalls dropped (rate limit or full queue), 6 packets held, 7 held packets timed out,
/// 8 controller-action packets (packet-ins), 9 flow count, 10 exact-match-cache hits, 11 megaflow hits, 12 misses,
/// 13 flows evicted, 14 flows expired, 15 packets marked ECN CE by the congestion indicator, 16 rate advertisements
/// inserted into packets, 17 packets a rate advertisement left unstamped (no room in the IPv4 header, or the packet
/// would outgrow the 1,500-byte MTU; absent from an older sender: 0).
/// </summary>
public sealed class DatapathStats : IMailboxMessage
{
    public const int MaxPorts = 256;
    public const int MaxDropReasons = 256;

    public MessageType Type => MessageType.DatapathStats;

    public long TimestampUnixNanos { get; set; }
    public uint PeriodMilliseconds { get; set; }
    public List<DatapathPortEntry> Ports { get; } = [];
    public List<DropCountEntry> Drops { get; } = [];
    public ulong UpcallsSent { get; set; }
    public ulong UpcallsDropped { get; set; }
    public ulong PacketsHeld { get; set; }
    public ulong UpcallsTimedOut { get; set; }
    public ulong ControllerPackets { get; set; }
    public ulong FlowCount { get; set; }
    public ulong ExactMatchHits { get; set; }
    public ulong MegaflowHits { get; set; }
    public ulong Misses { get; set; }
    public ulong FlowsEvicted { get; set; }
    public ulong FlowsExpired { get; set; }
    public ulong CongestionMarked { get; set; }
    public ulong RateAdvertised { get; set; }
    public ulong RateNotAdvertised { get; set; }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(18);
        writer.Write(0);
        writer.Write(TimestampUnixNanos);
        writer.Write(1);
        writer.Write(PeriodMilliseconds);
        writer.Write(2);
        EntryList.Write(ref writer, Ports);
        writer.Write(3);
        EntryList.Write(ref writer, Drops);
        WriteCounter(ref writer, 4, UpcallsSent);
        WriteCounter(ref writer, 5, UpcallsDropped);
        WriteCounter(ref writer, 6, PacketsHeld);
        WriteCounter(ref writer, 7, UpcallsTimedOut);
        WriteCounter(ref writer, 8, ControllerPackets);
        WriteCounter(ref writer, 9, FlowCount);
        WriteCounter(ref writer, 10, ExactMatchHits);
        WriteCounter(ref writer, 11, MegaflowHits);
        WriteCounter(ref writer, 12, Misses);
        WriteCounter(ref writer, 13, FlowsEvicted);
        WriteCounter(ref writer, 14, FlowsExpired);
        WriteCounter(ref writer, 15, CongestionMarked);
        WriteCounter(ref writer, 16, RateAdvertised);
        WriteCounter(ref writer, 17, RateNotAdvertised);
    }

    public static DatapathStats Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        var m = new DatapathStats();
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: m.TimestampUnixNanos = reader.ReadInt64(); break;
                case 1: m.PeriodMilliseconds = reader.ReadUInt32(); break;
                case 2: EntryList.Read(ref reader, m.Ports, MaxPorts, DatapathPortEntry.Read, stats); break;
                case 3: EntryList.Read(ref reader, m.Drops, MaxDropReasons, DropCountEntry.Read, stats); break;
                case 4: m.UpcallsSent = reader.ReadUInt64(); break;
                case 5: m.UpcallsDropped = reader.ReadUInt64(); break;
                case 6: m.PacketsHeld = reader.ReadUInt64(); break;
                case 7: m.UpcallsTimedOut = reader.ReadUInt64(); break;
                case 8: m.ControllerPackets = reader.ReadUInt64(); break;
                case 9: m.FlowCount = reader.ReadUInt64(); break;
                case 10: m.ExactMatchHits = reader.ReadUInt64(); break;
                case 11: m.MegaflowHits = reader.ReadUInt64(); break;
                case 12: m.Misses = reader.ReadUInt64(); break;
                case 13: m.FlowsEvicted = reader.ReadUInt64(); break;
                case 14: m.FlowsExpired = reader.ReadUInt64(); break;
                case 15: m.CongestionMarked = reader.ReadUInt64(); break;
                case 16: m.RateAdvertised = reader.ReadUInt64(); break;
                case 17: m.RateNotAdvertised = reader.ReadUInt64(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return m;
    }

    private static void WriteCounter(ref MessagePackWriter writer, int key, ulong value)
    {
        writer.Write(key);
        writer.Write(value);
    }
}
