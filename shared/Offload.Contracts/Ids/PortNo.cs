namespace Offload.Contracts.Ids;

/// <summary>A virtual switch port number.</summary>
public readonly record struct PortNo(uint Value)
{
    public override string ToString() => $"port{Value}";
}
