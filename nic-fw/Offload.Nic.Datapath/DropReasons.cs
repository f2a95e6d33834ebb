namespace Offload.Nic.Datapath;

/// <summary>Classification of <see cref="DropReason"/> values.</summary>
public static class DropReasons
{
    /// <summary>Number of counter slots needed to index by <see cref="DropReason"/>.</summary>
    public const int Count = 48;

    /// <summary>True when the reason is a malformed-frame (parser) reason.</summary>
    public static bool IsMalformed(DropReason reason) => reason is > DropReason.None and < DropReason.NoRoute;
}
