using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.Upcall;
using Key = Offload.Nic.Datapath.FlowKeys.FlowKey;

namespace Offload.Nic.Datapath.Tests;

/// <summary>Upcall sink that records everything (tests only; allocates).</summary>
internal sealed class RecordingUpcallSink : IUpcallSink
{
    public List<(UpcallId Id, Key Key, byte[] Head)> Misses { get; } = [];

    public List<(FlowId Id, FlowRemovedReason Reason, FlowStats Stats)> Removed { get; } = [];

    public List<byte[]> Packets { get; } = [];

    public List<uint> PacketUserData { get; } = [];

    public bool Accept { get; set; } = true;

    public bool TrySendMiss(UpcallId id, in Key key, ReadOnlySpan<byte> packetHead)
    {
        if (!Accept)
        {
            return false;
        }

        Misses.Add((id, key, packetHead.ToArray()));
        return true;
    }

    public bool TrySendPacket(in Key key, ReadOnlySpan<byte> packet, uint userData)
    {
        Packets.Add(packet.ToArray());
        PacketUserData.Add(userData);
        return true;
    }

    public void OnFlowRemoved(FlowId id, in Key match, in Key mask, FlowRemovedReason reason, FlowStats stats) =>
        Removed.Add((id, reason, stats));
}
