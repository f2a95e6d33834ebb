using Offload.Contracts.Ids;
using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// The memory request rate the controller set for one application. Positional: 0 application, 1 IOPS limit
/// (0 = unlimited), 2 bytes/s limit (0 = unlimited), 3 congested (stamp ECN CE on its ECT packets),
/// 4 advertised rate (requests/s carried in-band to the source; 0 = do not advertise), 5 ceiling IOPS (the SLA limit
/// that work-conserving borrowing beyond the rate never crosses; 0 = none), 6 bucket depth in µs of rate (0 = nic-fw's
/// default). Fields 5-6 are optional: a peer that predates them sends 5 fields and the entry reads them as 0.
/// </summary>
public struct RateEntry : IWireEntry
{
    public const int FieldCount = 7;

    public AppId Application { get; set; }
    public ulong IopsLimit { get; set; }
    public ulong BytesPerSecondLimit { get; set; }
    public bool Congested { get; set; }
    public ulong AdvertisedRate { get; set; }
    public ulong CeilingIops { get; set; }
    public uint BurstMicros { get; set; }

    public readonly void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(Application.Value);
        writer.Write(IopsLimit);
        writer.Write(BytesPerSecondLimit);
        writer.Write(Congested);
        writer.Write(AdvertisedRate);
        writer.Write(CeilingIops);
        writer.Write(BurstMicros);
    }

    public static void Read(ref MessagePackReader reader, out RateEntry e, DecodeStatistics? stats = null)
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
                case 1: e.IopsLimit = reader.ReadUInt64(); break;
                case 2: e.BytesPerSecondLimit = reader.ReadUInt64(); break;
                case 3: e.Congested = reader.ReadBoolean(); break;
                case 4: e.AdvertisedRate = reader.ReadUInt64(); break;
                case 5: e.CeilingIops = reader.ReadUInt64(); break;
                case 6: e.BurstMicros = reader.ReadUInt32(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        MapKey.Leave(ref reader);
    }
}
