namespace Offload.Contracts.Ids;

/// <summary>An NVMe queue identifier (0 is the admin queue).</summary>
public readonly record struct QueueId(ushort Value)
{
    public override string ToString() => $"q{Value}";
}
