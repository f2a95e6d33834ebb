using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath.Upcall;

/// <summary>
/// Where the datapath sends things up to the controller (the integrator maps these to FlowMiss and
/// FlowRemoved on the mailbox). Called on the poll thread: implementations must copy what they keep,
/// must not block, and should not allocate per call.
/// </summary>
public interface IUpcallSink
{
    /// <summary>A packet missed every flow. The packet is held until a matching install or the upcall timeout.</summary>
    /// <param name="id">Upcall id.</param>
    /// <param name="key">Extracted key (in_port included).</param>
    /// <param name="packetHead">First bytes of the packet (up to the configured head size).</param>
    /// <returns>False when the sink's queue is full; the datapath then drops the packet as <see cref="DropReason.QueueFull"/>.</returns>
    bool TrySendMiss(UpcallId id, in FlowKey key, ReadOnlySpan<byte> packetHead);

    /// <summary>The controller action: a full packet for the controller (packet-in).</summary>
    bool TrySendPacket(in FlowKey key, ReadOnlySpan<byte> packet);

    /// <summary>A flow left the table (timeouts, delete, eviction) or an install was refused.</summary>
    void OnFlowRemoved(FlowId id, in FlowKey match, in FlowKey mask, FlowRemovedReason reason, FlowStats stats);
}
