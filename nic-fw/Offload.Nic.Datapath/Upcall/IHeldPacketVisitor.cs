using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Upcall;

/// <summary>Callback for released held packets (struct implementations avoid closures).</summary>
internal interface IHeldPacketVisitor
{
    void Visit(in FlowKey key, Span<byte> frame);
}
