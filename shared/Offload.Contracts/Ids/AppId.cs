namespace Offload.Contracts.Ids;

/// <summary>
/// A tenant application as the NIC numbers it (one per host NQN + host ID). Stable for the life of the NIC process;
/// the host maps it to the NQN through telemetry. 0 means "none".
/// </summary>
public readonly record struct AppId(uint Value)
{
    public override string ToString() => $"app{Value}";
}
