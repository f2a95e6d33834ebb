namespace Offload.Nic.Datapath.Actions;

/// <summary>Application (memory-request source) identifier the controller flags, 0..4095.</summary>
public readonly record struct AppId(ushort Value)
{
    /// <summary>Number of application slots in the datapath tables.</summary>
    public const int Capacity = 4096;
}
