using Offload.Contracts.MessagePack;

namespace Offload.Contracts.Messages;

/// <summary>
/// NIC to host: the answer to a <see cref="FlowDumpRequest"/>. Keys: 0 request id, 1 truncated (more flows matched
/// than the request allowed), 2 flows (array of <see cref="FlowDumpEntry"/>, at most
/// <see cref="FlowDumpRequest.MaxFlows"/>), 3 flows matched in total.
/// </summary>
public sealed class FlowDumpReply : IMailboxMessage
{
    public MessageType Type => MessageType.FlowDumpReply;

    public uint RequestId { get; init; }

    public bool Truncated { get; init; }

    public uint Matched { get; init; }

    public List<FlowDumpEntry> Flows { get; } = [];

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteMapHeader(4);
        writer.Write(0);
        writer.Write(RequestId);
        writer.Write(1);
        writer.Write(Truncated);
        writer.Write(2);
        writer.WriteArrayHeader(Flows.Count);
        foreach (var flow in Flows)
        {
            flow.Write(ref writer);
        }

        writer.Write(3);
        writer.Write(Matched);
    }

    public static FlowDumpReply Read(ref MessagePackReader reader, DecodeStatistics? stats = null)
    {
        uint id = 0, matched = 0;
        bool truncated = false;
        var flows = new List<FlowDumpEntry>();
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
                case 1: truncated = reader.ReadBoolean(); break;
                case 2: ReadFlows(ref reader, flows, stats); break;
                case 3: matched = reader.ReadUInt32(); break;
                default: MapKey.SkipUnknown(ref reader, stats); break;
            }
        }

        var reply = new FlowDumpReply { RequestId = id, Truncated = truncated, Matched = matched };
        reply.Flows.AddRange(flows);
        return reply;
    }

    private static void ReadFlows(ref MessagePackReader reader, List<FlowDumpEntry> flows, DecodeStatistics? stats)
    {
        long offset = reader.Consumed;
        int n = MapKey.EnterArray(ref reader);
        if (n > FlowDumpRequest.MaxFlows)
        {
            throw new MessagePackSerializationException($"flow dump of {n} flows exceeds the cap of {FlowDumpRequest.MaxFlows}", offset);
        }

        for (int i = 0; i < n; i++)
        {
            flows.Add(FlowDumpEntry.Read(ref reader, stats));
        }

        MapKey.Leave(ref reader);
    }
}
