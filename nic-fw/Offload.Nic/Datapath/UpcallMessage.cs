using Offload.Contracts.MessagePack;
using Offload.Contracts.Messages;
using Offload.Nic.Datapath.FlowKeys;

namespace Offload.Nic.Datapath;

/// <summary>
/// A reusable <see cref="FlowMiss"/> on the wire: <see cref="UpcallQueue.TryRead(UpcallMessage)"/> copies a slot in,
/// the mailbox serialises it, and the next upcall overwrites it. Owned by the one task that drains the queue.
/// </summary>
internal sealed class UpcallMessage : IMailboxMessage
{
    private readonly byte[] _key = new byte[FlowKey.Size];
    private readonly byte[] _head = new byte[FlowMiss.MaxHeadSize];
    private int _headSize;

    public MessageType Type => MessageType.FlowMiss;

    public ulong UpcallId { get; private set; }

    public uint InPort { get; private set; }

    public byte Reason { get; private set; }

    public ulong UserData { get; private set; }

    public void Set(ulong upcallId, uint inPort, ReadOnlySpan<byte> key, ReadOnlySpan<byte> head, byte reason, ulong userData)
    {
        UpcallId = upcallId;
        InPort = inPort;
        Reason = reason;
        UserData = userData;
        key.CopyTo(_key);
        head.CopyTo(_head);
        _headSize = head.Length;
    }

    public void Write(ref MessagePackWriter writer) =>
        FlowMiss.Write(ref writer, UpcallId, InPort, _key, _head.AsSpan(0, _headSize), Reason, UserData);

    /// <summary>A standalone copy (allocates).</summary>
    public FlowMiss ToFlowMiss() => new()
    {
        UpcallId = UpcallId,
        InPort = InPort,
        Key = _key.ToArray(),
        PacketHead = _head.AsSpan(0, _headSize).ToArray(),
        Reason = Reason,
        UserData = UserData,
    };
}
