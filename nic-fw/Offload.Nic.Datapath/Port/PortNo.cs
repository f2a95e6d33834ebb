namespace Offload.Nic.Datapath.Port;

/// <summary>Datapath port number (16 bits on the wire of the flow key).</summary>
public readonly record struct PortNo(ushort Value)
{
    /// <summary>No port / unset.</summary>
    public static readonly PortNo None = new(0xFFFF);

    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
