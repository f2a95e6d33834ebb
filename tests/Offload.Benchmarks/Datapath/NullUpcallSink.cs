using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Upcall;

namespace Offload.Benchmarks.Datapath;

internal sealed class NullUpcallSink : IUpcallSink
{
    public bool TrySendMiss(UpcallId id, in FlowKey key, ReadOnlySpan<byte> packetHead) => true;

    public bool TrySendPacket(in FlowKey key, ReadOnlySpan<byte> packet, uint userData) => true;

    public void OnFlowRemoved(FlowId id, in FlowKey match, in FlowKey mask, FlowRemovedReason reason, FlowStats stats)
    {
    }
}
