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

    /// <summary>
    /// The controller action: a copy of the packet for the controller (packet-in). Nothing is held and no answer is
    /// expected; the datapath counts these apart from misses.
    /// </summary>
    /// <param name="key">Extracted key.</param>
    /// <param name="packet">The packet (the sink keeps what fits its head size).</param>
    /// <param name="userData">The controller action's argument, passed through to the controller.</param>
    /// <returns>False when the sink's queue is full (the datapath counts <see cref="DropReason.QueueFull"/>).</returns>
    bool TrySendPacket(in FlowKey key, ReadOnlySpan<byte> packet, uint userData);

    /// <summary>A flow left the table (timeouts, delete, eviction) or an install was refused.</summary>
    void OnFlowRemoved(FlowId id, in FlowKey match, in FlowKey mask, FlowRemovedReason reason, FlowStats stats);
}
