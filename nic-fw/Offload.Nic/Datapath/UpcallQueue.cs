using System.Threading.Channels;
using Offload.Contracts.Messages;
using Offload.Nic.Datapath.Classifier;
using Offload.Nic.Datapath.FlowKeys;
using Offload.Nic.Datapath.Upcall;

namespace Offload.Nic.Datapath;

/// <summary>
/// The datapath's <see cref="IUpcallSink"/> in nic-fw: copies each miss into a <see cref="FlowMiss"/> and queues it on a
/// bounded channel that <see cref="DatapathService"/> drains onto the mailbox. Never blocks the poll thread: a full
/// queue makes <see cref="TrySendMiss"/> return false (the datapath counts QueueFull).
/// </summary>
internal sealed class UpcallQueue : IUpcallSink
{
    private readonly Channel<FlowMiss> _channel;
    private long _removed;

    public UpcallQueue(int capacity) =>
        _channel = Channel.CreateBounded<FlowMiss>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    public ChannelReader<FlowMiss> Reader => _channel.Reader;

    /// <summary>Told (on the poll thread) when a flow leaves the table; set once before polling starts.</summary>
    public Action<FlowKey, FlowKey>? FlowRemoved { get; set; }

    /// <summary>Flows that left the datapath table (timeouts, deletes, evictions, refusals).</summary>
    public long FlowsRemoved => Interlocked.Read(ref _removed);

    public bool TrySendMiss(UpcallId id, in FlowKey key, ReadOnlySpan<byte> packetHead) =>
        _channel.Writer.TryWrite(Create(id.Value, key, packetHead, reason: 0));

    public bool TrySendPacket(in FlowKey key, ReadOnlySpan<byte> packet) =>
        _channel.Writer.TryWrite(Create(0, key, packet[..Math.Min(packet.Length, FlowMiss.MaxHeadSize)], reason: 1));

    public void OnFlowRemoved(FlowId id, in FlowKey match, in FlowKey mask, FlowRemovedReason reason, FlowStats stats)
    {
        Interlocked.Increment(ref _removed);
        FlowRemoved?.Invoke(match, mask);
    }

    private static FlowMiss Create(ulong id, in FlowKey key, ReadOnlySpan<byte> head, byte reason)
    {
        var keyBytes = new byte[FlowKey.Size];
        key.TryWrite(keyBytes);
        return new FlowMiss { UpcallId = id, InPort = key.InPort, Key = keyBytes, PacketHead = head.ToArray(), Reason = reason };
    }
}
