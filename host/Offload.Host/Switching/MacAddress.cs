using System.Globalization;

namespace Offload.Host.Switching;

/// <summary>A 48-bit Ethernet address, first octet in bits 40..47 (the datapath flow key's form).</summary>
internal readonly record struct MacAddress(ulong Value)
{
    /// <summary>ff:ff:ff:ff:ff:ff.</summary>
    public static readonly MacAddress Broadcast = new(0xFFFF_FFFF_FFFFUL);

    /// <summary>Group bit (I/G, least significant bit of the first octet; IEEE 802-2014 8.2): broadcast and multicast.</summary>
    public bool IsGroup => ((Value >> 40) & 1) != 0;

    /// <summary>Formats as aa:bb:cc:dd:ee:ff.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(byte)(Value >> 40):x2}:{(byte)(Value >> 32):x2}:{(byte)(Value >> 24):x2}:{(byte)(Value >> 16):x2}:{(byte)(Value >> 8):x2}:{(byte)Value:x2}");
}
