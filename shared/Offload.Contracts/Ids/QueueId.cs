namespace Offload.Contracts.Ids;

/// <summary>An NVMe queue identifier (0 is the admin queue).</summary>
public readonly record struct QueueId(ushort Value)
{
    /// <summary>Every queue of an application (an entry of a per-application <c>QueueOccupancy</c>); never an NVMe
    /// queue nic-fw grants (I/O queue ids stop below it).</summary>
    public static QueueId AllQueues { get; } = new(ushort.MaxValue);

    public override string ToString() => Value == ushort.MaxValue ? "all" : $"q{Value}";
}
