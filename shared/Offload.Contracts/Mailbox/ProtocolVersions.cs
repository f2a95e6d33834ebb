namespace Offload.Contracts.Mailbox;

/// <summary>The protocol versions this build speaks, and negotiation: the highest version both ends support.</summary>
public static class ProtocolVersions
{
    public const ushort Min = 1;
    public const ushort Max = 1;

    public static bool TryNegotiate(ushort localMin, ushort localMax, ushort remoteMin, ushort remoteMax, out ushort version)
    {
        version = Math.Min(localMax, remoteMax);
        return remoteMin <= remoteMax && version >= Math.Max(localMin, remoteMin);
    }
}
