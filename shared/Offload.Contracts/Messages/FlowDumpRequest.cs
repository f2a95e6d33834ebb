using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// Host to NIC: list installed megaflows (<c>offloadctl flows</c>). Keys: 0 request id, 1 maximum flows to return
/// (capped at <see cref="MaxFlows"/>), 2 filter match (bin, flow key layout), 3 filter mask (bin), 4 application
/// filter (flows whose actions name that application). Absent filters match everything. The NIC answers with one
/// <see cref="FlowDumpReply"/> carrying the same request id.
/// </summary>
public sealed class FlowDumpRequest : IMailboxMessage
{
    /// <summary>Most flows one reply carries (keeps a reply well under the 1 MiB frame limit).</summary>
    public const int MaxFlows = 2048;

    public MessageType Type => MessageType.FlowDumpRequest;

    public uint RequestId { get; init; }

    public uint MaxCount { get; init; } = MaxFlows;

    /// <summary>Filter match under <see cref="FilterMask"/>; empty: no field filter.</summary>
    public ReadOnlyMemory<byte> FilterMatch { get; init; }

    /// <summary>Which bits of the flow's match must equal <see cref="FilterMatch"/>; empty: no field filter.</summary>
    public ReadOnlyMemory<byte> FilterMask { get; init; }

    /// <summary>Only flows whose actions name this application; null: any.</summary>
    public uint? Application { get; init; }

    public void Write(ref MessagePackWriter writer)
    {
        bool fields = !FilterMask.IsEmpty;
        writer.WriteMapHeader(2 + (fields ? 2 : 0) + (Application.HasValue ? 1 : 0));
        writer.Write(0);
        writer.Write(RequestId);
        writer.Write(1);
        writer.Write(MaxCount);
        if (fields)
        {
            writer.Write(2);
            writer.Write(FilterMatch.Span);
            writer.Write(3);
            writer.Write(FilterMask.Span);
        }

        if (Application is { } application)
        {
            writer.Write(4);
            writer.Write(application);
        }
    }

    public static FlowDumpRequest Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        uint id = 0, max = MaxFlows;
        uint? application = null;
        byte[] match = [], mask = [];
        int count = reader.ReadMapHeader();
        for (int i = 0; i < count; i++)
        {
            if (!MapKey.TryRead(ref reader, stats, out int key))
            {
                continue;
            }

            switch (key)
            {
                case 0: id = reader.ReadUInt32(); break;
                case 1: max = Math.Min(reader.ReadUInt32(), MaxFlows); break;
                case 2: match = BinField.Read(ref reader, FlowMiss.MaxKeySize, "filter match"); break;
                case 3: mask = BinField.Read(ref reader, FlowMiss.MaxKeySize, "filter mask"); break;
                case 4: application = reader.ReadUInt32(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        return new FlowDumpRequest { RequestId = id, MaxCount = max, FilterMatch = match, FilterMask = mask, Application = application };
    }
}
